package identity

import (
	"context"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// defaultTokenTTL is how long an API token lasts when its creator says nothing: a
// quarter, so that a forgotten CI token dies on its own.
const defaultTokenTTL = 90 * 24 * time.Hour

var validTokenName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$`)

func tokenNotFound(id string) error {
	return api.Errorf(api.ErrNotFound, "token %q does not exist (see `docker exos token ls`)", id)
}

// CreateToken creates an API token for p's user. Its scope (an environment, read-only)
// only narrows: at every request the token acts with its user's rights of the moment.
// A token for an environment where the user has no role is refused, since it could do
// nothing there.
func (s *Service) CreateToken(ctx context.Context, p authz.Principal, req api.TokenCreateRequest) (api.TokenSecret, error) {
	if !validTokenName.MatchString(req.Name) {
		return api.TokenSecret{}, api.Errorf(api.ErrInvalid, "token name %q must be 1-64 letters, digits, '.', '-' or '_'", req.Name)
	}
	ttl, err := tokenTTL(req.ExpiresIn)
	if err != nil {
		return api.TokenSecret{}, err
	}
	if req.Env != "" && !p.Admin && !p.Roles[req.Env].Valid() {
		return api.TokenSecret{}, api.Errorf(api.ErrForbidden, "%s has no role in environment %s: a token for it could do nothing", p.User, req.Env)
	}
	secret, sum, err := newSecret(tokenPrefix)
	if err != nil {
		return api.TokenSecret{}, err
	}
	now := s.now().UTC()
	t := &tokenDoc{Format: format, ID: newID(), Name: req.Name, User: p.User, Hash: hex.EncodeToString(sum[:]),
		Env: req.Env, ReadOnly: req.ReadOnly, CreatedBy: p.Name, CreatedAt: now}
	if ttl > 0 {
		t.ExpiresAt = now.Add(ttl)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for _, other := range s.ListTokens(p.User) {
		if other.Name == req.Name {
			return api.TokenSecret{}, api.Errorf(api.ErrConflict, "%s already has a token named %q (revoke it first: `docker exos token revoke %s`)", p.User, req.Name, other.ID)
		}
	}
	if err := s.put(ctx, kindToken, t.ID, t); err != nil {
		return api.TokenSecret{}, err
	}
	s.change(func() { s.addToken(t) })
	return api.TokenSecret{Token: s.describeToken(t), Secret: secret}, nil
}

// tokenTTL parses a token's lifetime: "" the default, "0" forever.
func tokenTTL(expiresIn string) (time.Duration, error) {
	switch expiresIn {
	case "":
		return defaultTokenTTL, nil
	case "0":
		return 0, nil
	}
	d, err := time.ParseDuration(expiresIn)
	if err != nil || d <= 0 {
		return 0, api.Errorf(api.ErrInvalid, "expiry %q must be a positive duration like 720h, or 0 for never", expiresIn)
	}
	return d, nil
}

// addToken makes a stored token a credential; mu held.
func (s *Service) addToken(t *tokenDoc) {
	sum, ok := sumOf(t.Hash)
	if !ok {
		return
	}
	s.tokens[t.ID] = t
	c := &credential{kind: api.CredentialToken, id: t.ID, user: t.User, token: t.Name,
		name: fmt.Sprintf("%s (token %s)", t.User, t.Name), env: t.Env, readOnly: t.ReadOnly, expires: t.ExpiresAt}
	c.used.Store(!t.UsedAt.IsZero())
	s.creds[sum] = c
}

// ListTokens lists the tokens of user ("" for everyone's), sorted by user and name.
func (s *Service) ListTokens(user string) []api.Token {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []api.Token{}
	for _, t := range s.tokens {
		if user == "" || t.User == user {
			out = append(out, s.describeToken(t))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].User != out[j].User {
			return out[i].User < out[j].User
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func (s *Service) describeToken(t *tokenDoc) api.Token {
	return api.Token{ID: t.ID, Name: t.Name, User: t.User, Env: t.Env, ReadOnly: t.ReadOnly, CreatedBy: t.CreatedBy,
		CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Expired: !t.ExpiresAt.IsZero() && !s.now().Before(t.ExpiresAt)}
}

// TokenOwner is the user token id belongs to, for the server to check the caller owns it.
func (s *Service) TokenOwner(id string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.tokens[id]
	if t == nil {
		return "", false
	}
	return t.User, true
}

// RevokeToken revokes token id: it stops working at once.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, ok := s.TokenOwner(id); !ok {
		return tokenNotFound(id)
	}
	return s.dropTokens(ctx, []string{id})
}

// revokeTokensOf revokes every token of user; writeMu held.
func (s *Service) revokeTokensOf(ctx context.Context, user string) error {
	var ids []string
	for _, t := range s.ListTokens(user) {
		ids = append(ids, t.ID)
	}
	return s.dropTokens(ctx, ids)
}

func (s *Service) dropTokens(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.objects.DeleteNames(ctx, kindToken, ids); err != nil {
		return fmt.Errorf("failed to revoke tokens: %w", err)
	}
	s.change(func() {
		for _, id := range ids {
			if t := s.tokens[id]; t != nil {
				if sum, ok := sumOf(t.Hash); ok {
					delete(s.creds, sum)
				}
				delete(s.tokens, id)
			}
		}
	})
	return nil
}
