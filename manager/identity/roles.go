package identity

import (
	"slices"
	"sort"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// rebuild works out every enabled user's groups and roles, so that authenticating a
// request is a lookup: a disabled or removed user has no principal, and every credential
// of it answers 401 at once. mu is held for writing.
func (s *Service) rebuild() {
	byDN := map[string][]string{} // normalized directory group DN -> EXOS groups mapping it
	for _, g := range s.groups {
		for _, dn := range g.DirectoryGroups {
			byDN[normalizeDN(dn)] = append(byDN[normalizeDN(dn)], g.Name)
		}
	}
	s.memberOf = map[string][]string{}
	for _, g := range s.groups {
		for _, m := range g.Members {
			s.memberOf[m] = append(s.memberOf[m], g.Name)
		}
	}
	for _, u := range s.users {
		for _, dn := range u.DirectoryGroups {
			s.memberOf[u.Name] = append(s.memberOf[u.Name], byDN[dn]...)
		}
		sort.Strings(s.memberOf[u.Name])
		s.memberOf[u.Name] = slices.Compact(s.memberOf[u.Name])
	}
	s.principals = make(map[string]authz.Principal, len(s.users))
	for _, u := range s.users {
		if u.Disabled {
			continue
		}
		s.principals[u.Name] = authz.Principal{Name: u.Name, User: u.Name, Admin: u.Admin, Roles: s.rolesOf(u.Name)}
	}
}

// rolesOf is the strongest role per environment of user and its groups; mu held.
func (s *Service) rolesOf(user string) map[string]authz.Role {
	roles := map[string]authz.Role{}
	groups := s.memberOf[user]
	for env, b := range s.bindings {
		for _, m := range b.Members {
			if m.Subject == user || strings.HasPrefix(m.Subject, "@") && slices.Contains(groups, m.Subject[1:]) {
				roles[env] = authz.Strongest(roles[env], m.Role)
			}
		}
	}
	return roles
}

// rolesOfSubject lists the roles bound to a user or "@group" itself, by environment.
func (s *Service) rolesOfSubject(subject string) []api.EnvRole {
	out := []api.EnvRole{}
	for env, b := range s.bindings {
		for _, m := range b.Members {
			if m.Subject == subject {
				out = append(out, api.EnvRole{Env: env, Role: string(m.Role)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Env < out[j].Env })
	return out
}

// envRoles lists roles sorted by environment.
func envRoles(roles map[string]authz.Role) []api.EnvRole {
	out := make([]api.EnvRole, 0, len(roles))
	for env, r := range roles {
		out = append(out, api.EnvRole{Env: env, Role: string(r)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Env < out[j].Env })
	return out
}

// normalizeDN makes DNs that name the same entry compare equal: attribute types and
// values case-folded, the spacing and escaping of the directory's answer undone.
func normalizeDN(dn string) string {
	parsed, err := ldap.ParseDN(dn)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(dn))
	}
	return strings.ToLower(parsed.String())
}
