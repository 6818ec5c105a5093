package identity

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// errBadLogin is the one answer to a wrong user name or password, whichever was wrong.
var errBadLogin = api.Errorf(api.ErrUnauthorized, "wrong user name or password")

// Login checks a user's password (the manager's hash for a local user, the directory
// for a directory user or one the manager does not know yet) and opens a session.
// Failures back off per user and per source address; the password is in no log and no
// error.
func (s *Service) Login(ctx context.Context, req api.LoginRequest, remoteAddr string) (api.Session, error) {
	name := strings.ToLower(strings.TrimSpace(req.Username))
	addr := hostOf(remoteAddr)
	userKey, addrKey := "user:"+name, "addr:"+addr
	if wait := s.limits.wait(userKey, addrKey); wait > 0 {
		return api.Session{}, tooManyFailures(wait)
	}
	u, err := s.checkLogin(ctx, name, req.Password)
	if errors.Is(err, errBadLogin) {
		s.limits.fail(userKey, addrKey)
		s.log.Info("login refused", "user", name, "addr", addr)
		return api.Session{}, err
	}
	if err != nil {
		return api.Session{}, err
	}
	s.limits.forget(userKey)
	if u.Disabled {
		return api.Session{}, api.Errorf(api.ErrForbidden, "user %q is disabled: ask an admin to enable it (`docker exos user enable`)", u.Name)
	}
	return s.openSession(ctx, u.Name, addr)
}

// checkLogin returns the user whose password this is, or errBadLogin.
func (s *Service) checkLogin(ctx context.Context, name, password string) (*userDoc, error) {
	if name == "" || password == "" || len(password) > maxPassword {
		return nil, errBadLogin
	}
	u := s.user(name)
	if u != nil && u.Source == api.SourceLocal {
		return s.checkLocal(ctx, u, password)
	}
	dir, err := s.directory()
	if err != nil {
		return nil, err
	}
	if dir == nil || checkName("user", name) != nil {
		// No directory (or no name a user could have): as slow an answer as a wrong
		// password, so that it does not tell which names exist.
		_, _, err := s.hasher.verify(ctx, "", password)
		if err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}
	release, err := s.acquireDirectory(ctx)
	if err != nil {
		return nil, err
	}
	found, err := dir.login(name, password)
	release()
	if err != nil {
		return nil, err
	}
	return s.saveDirectoryUser(ctx, name, found)
}

// checkLocal verifies a local user's password, and rehashes it when its parameters are
// not the current ones.
func (s *Service) checkLocal(ctx context.Context, u *userDoc, password string) (*userDoc, error) {
	ok, stale, err := s.hasher.verify(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errBadLogin
	}
	if stale {
		s.writeMu.Lock()
		if cur := s.user(u.Name); cur != nil && cur.PasswordHash == u.PasswordHash {
			if err := s.storePassword(ctx, cur, password); err != nil {
				s.log.Warn("cannot rehash a password with the current parameters", "user", u.Name, "err", err)
			}
		}
		s.writeMu.Unlock()
	}
	return u, nil
}

// saveDirectoryUser records what the directory said of a user who logged in: created at
// its first login, its entry and groups refreshed at each.
func (s *Service) saveDirectoryUser(ctx context.Context, name string, found directoryUser) (*userDoc, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	u := s.user(name)
	if u != nil && u.Source != api.SourceDirectory {
		return nil, errBadLogin // made local meanwhile
	}
	next := userDoc{Format: format, Name: name, Source: api.SourceDirectory, CreatedAt: s.now().UTC()}
	if u != nil {
		next = *u
	}
	next.DN, next.DirectoryGroups = found.DN, found.Groups
	if found.DisplayName != "" {
		next.DisplayName = found.DisplayName
	}
	if u != nil && sameDirectoryView(*u, next) {
		return u, nil
	}
	if err := s.put(ctx, kindUser, name, &next); err != nil {
		return nil, err
	}
	s.change(func() { s.users[name] = &next })
	return &next, nil
}

func sameDirectoryView(a, b userDoc) bool {
	return a.DN == b.DN && a.DisplayName == b.DisplayName && strings.Join(a.DirectoryGroups, "\n") == strings.Join(b.DirectoryGroups, "\n")
}

// hostOf is the address part of a remote address: throttling is per host, not per port.
func hostOf(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}
