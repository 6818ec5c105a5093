package identity

import (
	"context"
	"regexp"
	"sort"

	"github.com/exos-platform/exos/manager/api"
)

// validName is a user or group name: it names a Swarm config, so it is short and plain.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

func checkName(what, name string) error {
	if !validName.MatchString(name) {
		return api.Errorf(api.ErrInvalid, "%s name %q must be 1-32 lowercase letters, digits, '.', '-' or '_', starting with a letter or digit", what, name)
	}
	return nil
}

func userNotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "user %q does not exist (see `docker exos user ls`)", name)
}

// CreateUser creates a user with a password, or a directory user whose password the
// directory checks.
func (s *Service) CreateUser(ctx context.Context, req api.UserCreateRequest) (api.User, error) {
	if err := checkName("user", req.Name); err != nil {
		return api.User{}, err
	}
	u := &userDoc{Format: format, Name: req.Name, DisplayName: req.DisplayName, Source: api.SourceLocal, Admin: req.Admin, CreatedAt: s.now().UTC()}
	switch {
	case req.Directory && req.Password != "":
		return api.User{}, api.Errorf(api.ErrInvalid, "a directory user's password is the directory's: give no password")
	case req.Directory:
		u.Source = api.SourceDirectory
	default:
		if err := checkPassword(req.Password); err != nil {
			return api.User{}, err
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.user(req.Name) != nil {
		return api.User{}, api.Errorf(api.ErrConflict, "user %q already exists", req.Name)
	}
	if u.Source == api.SourceLocal {
		hash, err := s.hasher.hash(ctx, req.Password)
		if err != nil {
			return api.User{}, err
		}
		u.PasswordHash = hash
	}
	if err := s.put(ctx, kindUser, u.Name, u); err != nil {
		return api.User{}, err
	}
	s.change(func() { s.users[u.Name] = u })
	return s.InspectUser(u.Name)
}

// user returns the stored user name, nil if none; a read under mu.
func (s *Service) user(name string) *userDoc {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.users[name]
}

// ListUsers lists the users, sorted by name.
func (s *Service) ListUsers() []api.User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]api.User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, s.describeUser(u))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// InspectUser returns one user.
func (s *Service) InspectUser(name string) (api.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.users[name]
	if u == nil {
		return api.User{}, userNotFound(name)
	}
	return s.describeUser(u), nil
}

// describeUser is what the API shows of a user: never its hash. mu is held.
func (s *Service) describeUser(u *userDoc) api.User {
	groups := append([]string{}, s.memberOf[u.Name]...)
	return api.User{
		Name: u.Name, DisplayName: u.DisplayName, Source: u.Source, DN: u.DN, Admin: u.Admin, Disabled: u.Disabled,
		HasPassword: u.PasswordHash != "", Groups: groups, Roles: envRoles(s.rolesOf(u.Name)), CreatedAt: u.CreatedAt,
	}
}

// SetUserDisabled disables a user, ending its sessions (its tokens stop working while it
// is disabled), or enables it again.
func (s *Service) SetUserDisabled(ctx context.Context, name string, disabled bool) (api.User, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old := s.user(name)
	if old == nil {
		return api.User{}, userNotFound(name)
	}
	if disabled && s.lastAdmin(name) {
		return api.User{}, api.Errorf(api.ErrConflict, "user %q is the last enabled admin: make another admin first", name)
	}
	u := *old
	u.Disabled = disabled
	if err := s.put(ctx, kindUser, name, &u); err != nil {
		return api.User{}, err
	}
	s.change(func() { s.users[name] = &u })
	if disabled {
		if err := s.endSessions(ctx, name); err != nil {
			return api.User{}, err
		}
	}
	return s.InspectUser(name)
}

// lastAdmin reports whether name is the only enabled admin: disabling or removing it
// would leave nobody to manage the manager.
func (s *Service) lastAdmin(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.users[name]; u == nil || !u.Admin || u.Disabled {
		return false
	}
	for _, u := range s.users {
		if u.Name != name && u.Admin && !u.Disabled {
			return false
		}
	}
	return true
}

// RemoveUser removes a user with its sessions, tokens, group memberships and roles. The
// user itself goes last: a manager killed half-way leaves it there to remove again, never
// a role waiting for the next user of the same name.
func (s *Service) RemoveUser(ctx context.Context, name string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.user(name) == nil {
		return userNotFound(name)
	}
	if s.lastAdmin(name) {
		return api.Errorf(api.ErrConflict, "user %q is the last enabled admin: make another admin first", name)
	}
	if err := s.unbindEverywhere(ctx, name); err != nil {
		return err
	}
	if err := s.leaveGroups(ctx, name); err != nil {
		return err
	}
	if err := s.endSessions(ctx, name); err != nil {
		return err
	}
	if err := s.revokeTokensOf(ctx, name); err != nil {
		return err
	}
	if err := s.objects.Delete(ctx, kindUser, name); err != nil {
		return err
	}
	s.change(func() { delete(s.users, name) })
	return nil
}
