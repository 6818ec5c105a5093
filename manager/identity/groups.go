package identity

import (
	"context"
	"slices"
	"sort"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
)

func groupNotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "group %q does not exist (see `docker exos group ls`)", name)
}

// CreateGroup creates a group of local members and of the members of directory groups.
func (s *Service) CreateGroup(ctx context.Context, req api.GroupCreateRequest) (api.Group, error) {
	if err := checkName("group", req.Name); err != nil {
		return api.Group{}, err
	}
	for _, dn := range req.DirectoryGroups {
		if _, err := ldap.ParseDN(dn); err != nil || dn == "" {
			return api.Group{}, api.Errorf(api.ErrInvalid, "directory group %q is no DN (like cn=devs,ou=groups,dc=example,dc=com)", dn)
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.group(req.Name) != nil {
		return api.Group{}, api.Errorf(api.ErrConflict, "group %q already exists", req.Name)
	}
	members := slices.Compact(slices.Sorted(slices.Values(req.Members)))
	for _, m := range members {
		if s.user(m) == nil {
			return api.Group{}, userNotFound(m)
		}
	}
	g := &groupDoc{Format: format, Name: req.Name, Description: req.Description, Members: members, DirectoryGroups: req.DirectoryGroups, CreatedAt: s.now().UTC()}
	if err := s.put(ctx, kindGroup, g.Name, g); err != nil {
		return api.Group{}, err
	}
	s.change(func() { s.groups[g.Name] = g })
	return s.InspectGroup(g.Name)
}

func (s *Service) group(name string) *groupDoc {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.groups[name]
}

// ListGroups lists the groups, sorted by name.
func (s *Service) ListGroups() []api.Group {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]api.Group, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, s.describeGroup(g))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// InspectGroup returns one group.
func (s *Service) InspectGroup(name string) (api.Group, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.groups[name]
	if g == nil {
		return api.Group{}, groupNotFound(name)
	}
	return s.describeGroup(g), nil
}

func (s *Service) describeGroup(g *groupDoc) api.Group {
	return api.Group{
		Name: g.Name, Description: g.Description, Members: append([]string{}, g.Members...),
		DirectoryGroups: append([]string{}, g.DirectoryGroups...), Roles: s.rolesOfSubject("@" + g.Name), CreatedAt: g.CreatedAt,
	}
}

// RemoveGroup removes a group and its roles (roles first, for the reason RemoveUser gives).
func (s *Service) RemoveGroup(ctx context.Context, name string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.group(name) == nil {
		return groupNotFound(name)
	}
	if err := s.unbindEverywhere(ctx, "@"+name); err != nil {
		return err
	}
	if err := s.objects.Delete(ctx, kindGroup, name); err != nil {
		return err
	}
	s.change(func() { delete(s.groups, name) })
	return nil
}

// AddGroupMember makes user a local member of group.
func (s *Service) AddGroupMember(ctx context.Context, group, user string) (api.Group, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.user(user) == nil {
		return api.Group{}, userNotFound(user)
	}
	return s.editMembers(ctx, group, func(members []string) []string {
		if slices.Contains(members, user) {
			return members
		}
		return slices.Sorted(slices.Values(append(members, user)))
	})
}

// RemoveGroupMember takes a local member out of group.
func (s *Service) RemoveGroupMember(ctx context.Context, group, user string) (api.Group, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.editMembers(ctx, group, func(members []string) []string {
		return slices.DeleteFunc(members, func(m string) bool { return m == user })
	})
}

// editMembers stores group with its members edited; writeMu held.
func (s *Service) editMembers(ctx context.Context, group string, edit func([]string) []string) (api.Group, error) {
	old := s.group(group)
	if old == nil {
		return api.Group{}, groupNotFound(group)
	}
	g := *old
	g.Members = edit(slices.Clone(old.Members))
	if !slices.Equal(g.Members, old.Members) {
		if err := s.put(ctx, kindGroup, g.Name, &g); err != nil {
			return api.Group{}, err
		}
		s.change(func() { s.groups[g.Name] = &g })
	}
	return s.InspectGroup(group)
}

// leaveGroups takes user out of every group it is a local member of; writeMu held.
func (s *Service) leaveGroups(ctx context.Context, user string) error {
	s.mu.RLock()
	var names []string
	for _, g := range s.groups {
		if slices.Contains(g.Members, user) {
			names = append(names, g.Name)
		}
	}
	s.mu.RUnlock()
	for _, name := range names {
		if _, err := s.editMembers(ctx, name, func(m []string) []string {
			return slices.DeleteFunc(m, func(x string) bool { return x == user })
		}); err != nil {
			return err
		}
	}
	return nil
}
