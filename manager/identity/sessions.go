package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// sessionTTL is how long a login lasts: a working day and the night after, so that
// `docker exos login` is a daily step, like a badge.
const sessionTTL = 24 * time.Hour

// Prefixes make a leaked secret recognisable (in a log, a paste) for what it is.
const (
	sessionPrefix = "exos_s_"
	tokenPrefix   = "exos_t_"
)

// newSecret returns a bearer secret of 256 random bits and its SHA-256, which is all the
// swarm keeps.
func newSecret(prefix string) (string, [sha256.Size]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", [sha256.Size]byte{}, fmt.Errorf("failed to generate a secret: %w", err)
	}
	secret := prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, sha256.Sum256([]byte(secret)), nil
}

// newID returns the public ID of a session or token: 64 random bits in hex.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sumOf(hexHash string) ([sha256.Size]byte, bool) {
	var sum [sha256.Size]byte
	h, err := hex.DecodeString(hexHash)
	if err != nil || len(h) != sha256.Size {
		return sum, false
	}
	copy(sum[:], h)
	return sum, true
}

// openSession stores a new session of user and returns its token, the only copy.
func (s *Service) openSession(ctx context.Context, user, addr string) (api.Session, error) {
	secret, sum, err := newSecret(sessionPrefix)
	if err != nil {
		return api.Session{}, err
	}
	now := s.now().UTC()
	d := &sessionDoc{Format: format, ID: newID(), User: user, Hash: hex.EncodeToString(sum[:]), Addr: addr, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.put(ctx, kindSession, d.ID, d); err != nil {
		return api.Session{}, err
	}
	s.change(func() { s.addSession(d) })
	if err := s.pruneSessions(ctx); err != nil {
		s.log.Warn("cannot remove expired sessions", "err", err)
	}
	return api.Session{Token: secret, User: user, ExpiresAt: d.ExpiresAt}, nil
}

// addSession makes a stored session a credential; mu held.
func (s *Service) addSession(d *sessionDoc) {
	sum, ok := sumOf(d.Hash)
	if !ok {
		return
	}
	s.sessions[d.ID] = d
	s.creds[sum] = &credential{kind: api.CredentialSession, id: d.ID, user: d.User, name: d.User, expires: d.ExpiresAt}
}

// Logout ends the session r authenticated with. An API token or the install-time admin
// token is no session: nothing changes (tokens are revoked by ID).
func (s *Service) Logout(r *http.Request) error {
	c, _, ok := s.authenticate(r)
	if !ok {
		return errUnauthenticated
	}
	if c.kind != api.CredentialSession {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.dropSessions(r.Context(), []string{c.id})
}

// endSessions ends every session of user; writeMu held.
func (s *Service) endSessions(ctx context.Context, user string) error {
	s.mu.RLock()
	var ids []string
	for id, d := range s.sessions {
		if d.User == user {
			ids = append(ids, id)
		}
	}
	s.mu.RUnlock()
	return s.dropSessions(ctx, ids)
}

// pruneSessions removes the expired sessions from the swarm; writeMu held.
func (s *Service) pruneSessions(ctx context.Context) error {
	now := s.now()
	s.mu.RLock()
	var ids []string
	for id, d := range s.sessions {
		if !now.Before(d.ExpiresAt) {
			ids = append(ids, id)
		}
	}
	s.mu.RUnlock()
	return s.dropSessions(ctx, ids)
}

// dropSessions deletes sessions, then forgets them; writeMu held.
func (s *Service) dropSessions(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.objects.DeleteNames(ctx, kindSession, ids); err != nil {
		return fmt.Errorf("failed to end sessions: %w", err)
	}
	s.change(func() {
		for _, id := range ids {
			if d := s.sessions[id]; d != nil {
				if sum, ok := sumOf(d.Hash); ok {
					delete(s.creds, sum)
				}
				delete(s.sessions, id)
			}
		}
	})
	return nil
}
