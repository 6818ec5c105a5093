package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
)

// installUser is the user the install-time admin tokens act for: the first admin.
const installUser = "admin"

// Load reads every identity object from the swarm. On an installation that has no user
// yet (new, or upgraded from the admin token alone) it creates the first admin user,
// "admin", whom the install-time admin token stands for.
func (s *Service) Load(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	docs, err := s.read(ctx)
	if err != nil {
		return err
	}
	admins, err := s.readAdminTokens(ctx)
	if err != nil {
		return err
	}
	if len(docs.users) == 0 {
		first := &userDoc{Format: format, Name: installUser, Source: api.SourceLocal, Admin: true, CreatedAt: s.now().UTC()}
		if err := s.put(ctx, kindUser, first.Name, first); err != nil {
			return err
		}
		docs.users[first.Name] = first
	}
	s.mu.Lock()
	s.users, s.groups, s.bindings, s.tokens, s.sessions, s.ldap = docs.users, docs.groups, docs.bindings, docs.tokens, docs.sessions, docs.ldap
	s.creds = map[[sha256.Size]byte]*credential{}
	for _, t := range docs.tokens {
		s.addToken(t)
	}
	for _, d := range docs.sessions {
		s.addSession(d)
	}
	s.setAdminTokens(admins)
	s.rebuild()
	s.mu.Unlock()
	return s.pruneSessions(ctx)
}

// loaded is every stored identity document, decoded.
type loaded struct {
	users    map[string]*userDoc
	groups   map[string]*groupDoc
	bindings map[string]*bindingDoc
	tokens   map[string]*tokenDoc
	sessions map[string]*sessionDoc
	ldap     *ldapDoc
}

func (s *Service) read(ctx context.Context) (loaded, error) {
	d := loaded{users: map[string]*userDoc{}, groups: map[string]*groupDoc{}, bindings: map[string]*bindingDoc{},
		tokens: map[string]*tokenDoc{}, sessions: map[string]*sessionDoc{}}
	err := readKind(ctx, s.objects, kindUser, func(v *userDoc) { d.users[v.Name] = v })
	if err == nil {
		err = readKind(ctx, s.objects, kindGroup, func(v *groupDoc) { d.groups[v.Name] = v })
	}
	if err == nil {
		err = readKind(ctx, s.objects, kindBinding, func(v *bindingDoc) { d.bindings[v.Env] = v })
	}
	if err == nil {
		err = readKind(ctx, s.objects, kindToken, func(v *tokenDoc) { d.tokens[v.ID] = v })
	}
	if err == nil {
		err = readKind(ctx, s.objects, kindSession, func(v *sessionDoc) { d.sessions[v.ID] = v })
	}
	if err == nil {
		err = readKind(ctx, s.objects, kindLDAP, func(v *ldapDoc) { d.ldap = v })
	}
	return d, err
}

// readKind decodes every stored object of kind into a new T and hands it to keep.
func readKind[T any](ctx context.Context, objects Objects, kind string, keep func(*T)) error {
	objs, err := objects.List(ctx, kind)
	if err != nil {
		return err
	}
	for _, o := range objs {
		v := new(T)
		if err := decode(kind, o.Name, o.Data, v); err != nil {
			return err
		}
		keep(v)
	}
	return nil
}

// readAdminTokens reads the admin token hashes `docker exos manager install` stored.
func (s *Service) readAdminTokens(ctx context.Context) ([][sha256.Size]byte, error) {
	list, err := s.configs.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("label", persist.LabelKind+"="+AdminTokenKind))})
	if err != nil {
		return nil, fmt.Errorf("failed to read the admin token hashes: %w", err)
	}
	var out [][sha256.Size]byte
	for _, c := range list {
		var sum [sha256.Size]byte
		h, err := hex.DecodeString(strings.TrimSpace(string(c.Spec.Data)))
		if err == nil && len(h) == sha256.Size {
			copy(sum[:], h)
			out = append(out, sum)
		}
	}
	return out, nil
}

// setAdminTokens replaces the install-time admin tokens among the credentials; mu held.
func (s *Service) setAdminTokens(sums [][sha256.Size]byte) {
	for sum, c := range s.creds {
		if c.kind == api.CredentialInstallToken {
			delete(s.creds, sum)
		}
	}
	for _, sum := range sums {
		s.creds[sum] = &credential{kind: api.CredentialInstallToken, user: installUser}
	}
	s.adminTokensLoadedAt = s.now()
}

// adminTokenReload is how often a request with an unknown token may re-read the admin
// tokens (a reinstall may have made one): rarely enough that bad tokens cannot hammer
// the Engine.
const adminTokenReload = 2 * time.Second

// reloadAdminTokens re-reads the admin tokens if the last read is old enough, and says
// whether they are fresh now (worth looking the token up again).
func (s *Service) reloadAdminTokens(ctx context.Context) bool {
	due := func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.now().Sub(s.adminTokensLoadedAt) > adminTokenReload
	}
	if !due() {
		return false
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !due() {
		return true // another request re-read them meanwhile: look again
	}
	sums, err := s.readAdminTokens(ctx)
	if err != nil {
		s.log.Warn("cannot re-read the admin tokens", "err", err)
		return false
	}
	s.mu.Lock()
	s.setAdminTokens(sums)
	s.mu.Unlock()
	return true
}
