package identity

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// SetPassword sets a local user's password (the global admin's doing); its sessions end,
// so whoever knew the old password is logged out.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	u := s.user(name)
	if u == nil {
		return userNotFound(name)
	}
	if err := s.storePassword(ctx, u, password); err != nil {
		return err
	}
	return s.endSessions(ctx, name)
}

// ChangePassword changes user's own password, which it must know: a stolen session alone
// cannot take the account over. Its sessions end, this one too: it logs in again with the
// new password.
func (s *Service) ChangePassword(ctx context.Context, user string, req api.PasswordRequest) error {
	if err := checkPassword(req.Password); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	u := s.user(user)
	if u == nil {
		return userNotFound(user)
	}
	if u.Source != api.SourceLocal {
		return api.Errorf(api.ErrInvalid, "your password is the directory's: change it there")
	}
	if u.PasswordHash != "" {
		ok, _, err := s.hasher.verify(ctx, u.PasswordHash, req.Current)
		if err != nil {
			return err
		}
		if !ok {
			return api.Errorf(api.ErrForbidden, "the current password is not right")
		}
	}
	if err := s.storePassword(ctx, u, req.Password); err != nil {
		return err
	}
	return s.endSessions(ctx, user)
}

// storePassword hashes password and stores it for the local user u; writeMu held.
func (s *Service) storePassword(ctx context.Context, u *userDoc, password string) error {
	if u.Source != api.SourceLocal {
		return api.Errorf(api.ErrInvalid, "user %q logs in with the directory's password: set it there", u.Name)
	}
	hash, err := s.hasher.hash(ctx, password)
	if err != nil {
		return err
	}
	next := *u
	next.PasswordHash = hash
	if err := s.put(ctx, kindUser, u.Name, &next); err != nil {
		return err
	}
	s.change(func() { s.users[u.Name] = &next })
	return nil
}
