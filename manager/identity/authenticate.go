package identity

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// errUnauthenticated is the one answer to every bearer that is not (any more) good:
// unknown, expired, revoked, or its user's disabled or removed.
var errUnauthenticated = api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required: log in with `docker exos login`")

// Authenticate resolves a request's bearer token (a session, an API token or an
// install-time admin token) into its caller. It is a SHA-256 and a map lookup under a
// read lock: the rights were worked out when they last changed. An API token's caller is
// its user's current rights narrowed by the token's scope.
func (s *Service) Authenticate(r *http.Request) (authz.Principal, error) {
	c, p, ok := s.authenticate(r)
	if !ok {
		return authz.Principal{}, errUnauthenticated
	}
	if c.kind == api.CredentialToken && !c.used.Load() {
		s.firstUse(r.Context(), c, p, r.RemoteAddr)
	}
	return p, nil
}

// authenticate finds the credential of r and its caller.
func (s *Service) authenticate(r *http.Request) (*credential, authz.Principal, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, authz.Principal{}, false
	}
	sum := sha256.Sum256([]byte(token))
	c, p, ok := s.lookup(sum)
	if c == nil && s.reloadAdminTokens(r.Context()) {
		// Perhaps made by a reinstall since the last read.
		c, p, ok = s.lookup(sum)
	}
	return c, p, ok
}

func (s *Service) lookup(sum [sha256.Size]byte) (*credential, authz.Principal, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.creds[sum]
	if c == nil {
		return nil, authz.Principal{}, false
	}
	if !c.expires.IsZero() && !s.now().Before(c.expires) {
		return c, authz.Principal{}, false
	}
	p, ok := s.principals[c.user]
	if !ok {
		return c, authz.Principal{}, false // disabled or removed
	}
	if c.kind == api.CredentialToken {
		p.Name, p.Env, p.ReadOnly = c.name, c.env, c.readOnly
	}
	return c, p, true
}

// firstUse reports an API token's first request, once, and remembers it in the swarm.
func (s *Service) firstUse(ctx context.Context, c *credential, p authz.Principal, remoteAddr string) {
	if !c.used.CompareAndSwap(false, true) {
		return
	}
	if s.FirstUse != nil {
		s.FirstUse(p, remoteAddr)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	old := s.tokens[c.id]
	s.mu.RUnlock()
	if old == nil {
		return // revoked meanwhile: storing it again would bring it back
	}
	t := *old
	t.UsedAt = s.now().UTC()
	if err := s.put(ctx, kindToken, t.ID, &t); err != nil {
		s.log.Warn("cannot record a token's first use", "token", t.ID, "err", err)
		return
	}
	s.change(func() { s.tokens[t.ID] = &t })
}

// Whoami describes the caller of r.
func (s *Service) Whoami(r *http.Request) (api.Whoami, error) {
	c, p, ok := s.authenticate(r)
	if !ok {
		return api.Whoami{}, errUnauthenticated
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.users[p.User]
	if u == nil {
		return api.Whoami{}, errUnauthenticated
	}
	roles := envRoles(p.Roles)
	if p.Env != "" {
		roles = []api.EnvRole{}
		if r := p.Roles[p.Env]; r != "" {
			roles = append(roles, api.EnvRole{Env: p.Env, Role: string(r)})
		}
	}
	return api.Whoami{
		Name: p.Name, User: p.User, DisplayName: u.DisplayName, Source: u.Source, Admin: p.Admin,
		Groups: append([]string{}, s.memberOf[p.User]...), Roles: roles, Credential: c.kind,
		Token: c.token, Env: c.env, ReadOnly: c.readOnly, ExpiresAt: c.expires,
	}, nil
}
