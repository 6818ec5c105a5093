package identity

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// Members lists the role bindings of environment env, sorted by subject.
func (s *Service) Members(env string) []api.Member {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []api.Member{}
	if b := s.bindings[env]; b != nil {
		for _, m := range b.Members {
			out = append(out, api.Member{Env: env, Subject: m.Subject, Role: string(m.Role)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}

// AddMember gives a user, or "@group", role in env, replacing the role it had there.
// The environment's existence is the caller's to check.
func (s *Service) AddMember(ctx context.Context, env, subject, role string) (api.Member, error) {
	r := authz.Role(role)
	if !r.Valid() {
		return api.Member{}, api.Errorf(api.ErrInvalid, "role %q is none of %s", role, rolesList())
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkSubject(subject); err != nil {
		return api.Member{}, err
	}
	err := s.editBinding(ctx, env, func(members []memberDoc) []memberDoc {
		members = slices.DeleteFunc(members, func(m memberDoc) bool { return m.Subject == subject })
		return append(members, memberDoc{Subject: subject, Role: r})
	})
	if err != nil {
		return api.Member{}, err
	}
	return api.Member{Env: env, Subject: subject, Role: role}, nil
}

// RemoveMember takes the role of a user or "@group" in env away.
func (s *Service) RemoveMember(ctx context.Context, env, subject string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	found := false
	for _, m := range s.Members(env) {
		found = found || m.Subject == subject
	}
	if !found {
		return api.Errorf(api.ErrNotFound, "%s has no role in environment %s (see `docker exos env member ls %s`)", subject, env, env)
	}
	return s.editBinding(ctx, env, func(members []memberDoc) []memberDoc {
		return slices.DeleteFunc(members, func(m memberDoc) bool { return m.Subject == subject })
	})
}

// RemoveEnvironment drops every role binding of env, so that an environment created
// again under the same name starts with no members.
func (s *Service) RemoveEnvironment(ctx context.Context, env string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.objects.Delete(ctx, kindBinding, env); err != nil {
		return err
	}
	s.change(func() { delete(s.bindings, env) })
	return nil
}

func (s *Service) checkSubject(subject string) error {
	if group, ok := strings.CutPrefix(subject, "@"); ok {
		if s.group(group) == nil {
			return groupNotFound(group)
		}
		return nil
	}
	if s.user(subject) == nil {
		return userNotFound(subject)
	}
	return nil
}

// editBinding stores env's bindings edited (none left: none stored); writeMu held.
func (s *Service) editBinding(ctx context.Context, env string, edit func([]memberDoc) []memberDoc) error {
	var members []memberDoc
	s.mu.RLock()
	if b := s.bindings[env]; b != nil {
		members = slices.Clone(b.Members)
	}
	s.mu.RUnlock()
	b := &bindingDoc{Format: format, Env: env, Members: edit(members)}
	sort.Slice(b.Members, func(i, j int) bool { return b.Members[i].Subject < b.Members[j].Subject })
	if len(b.Members) == 0 {
		if err := s.objects.Delete(ctx, kindBinding, env); err != nil {
			return err
		}
		s.change(func() { delete(s.bindings, env) })
		return nil
	}
	if err := s.put(ctx, kindBinding, env, b); err != nil {
		return err
	}
	s.change(func() { s.bindings[env] = b })
	return nil
}

// unbindEverywhere takes every role of subject away; writeMu held.
func (s *Service) unbindEverywhere(ctx context.Context, subject string) error {
	for _, r := range s.subjectRoles(subject) {
		if err := s.editBinding(ctx, r.Env, func(members []memberDoc) []memberDoc {
			return slices.DeleteFunc(members, func(m memberDoc) bool { return m.Subject == subject })
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) subjectRoles(subject string) []api.EnvRole {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rolesOfSubject(subject)
}

func rolesList() string {
	names := make([]string, len(authz.Roles))
	for i, r := range authz.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
