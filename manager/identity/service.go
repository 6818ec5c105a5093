package identity

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/seal"
)

// Objects is the durable store; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	DeleteNames(ctx context.Context, kind string, names []string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// ConfigLister lists Swarm configs: the admin token hashes are plain configs that
// `docker exos manager install` writes, not persist objects. *client.Client implements it.
type ConfigLister interface {
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
}

// Config wires a Service.
type Config struct {
	Objects Objects
	Configs ConfigLister
	// Key is the catalog key, which seals the directory's bind password; nil for none
	// (then no bind password can be set).
	Key []byte
	Now func() time.Time
	Log *slog.Logger
}

// Service keeps users, groups, role bindings, sessions and tokens. Changes are serialized
// by writeMu and written to the swarm before they show in memory; mu guards the maps,
// which requests read.
type Service struct {
	objects Objects
	configs ConfigLister
	sealer  *seal.Sealer
	hasher  *hasher
	now     func() time.Time
	log     *slog.Logger
	limits  *throttle
	// directorySlots bound concurrent directory logins (acquireDirectory).
	directorySlots chan struct{}

	// FirstUse, if set, is called the first time an API token authenticates a request
	// (once per token, remembered in the swarm), for the audit log.
	FirstUse func(p authz.Principal, remoteAddr string)

	writeMu sync.Mutex

	mu       sync.RWMutex
	users    map[string]*userDoc
	groups   map[string]*groupDoc
	bindings map[string]*bindingDoc // by environment
	tokens   map[string]*tokenDoc   // by ID
	sessions map[string]*sessionDoc // by ID
	ldap     *ldapDoc
	// creds finds what a bearer token is by its SHA-256: a session, an API token or an
	// install-time admin token.
	creds map[[sha256.Size]byte]*credential
	// principals are the enabled users' rights, worked out by rebuild on every change.
	principals map[string]authz.Principal
	memberOf   map[string][]string // user -> its EXOS groups, sorted
	// adminTokensLoadedAt bounds how often an unknown token re-reads the admin tokens.
	adminTokensLoadedAt time.Time
}

// credential is what a bearer token stands for.
type credential struct {
	kind     string // api.CredentialSession, CredentialToken, CredentialInstallToken
	id       string // the session's or token's ID
	user     string
	name     string // the Principal's name: "user (token NAME)" for an API token
	token    string // an API token's own name
	env      string
	readOnly bool
	expires  time.Time // zero: never
	used     atomic.Bool
}

// New returns a service; call Load before it authenticates anything.
func New(c Config) (*Service, error) {
	s := &Service{
		objects: c.Objects, configs: c.Configs, hasher: newHasher(hashParams), now: c.Now, log: c.Log,
		limits: newThrottle(c.Now), directorySlots: make(chan struct{}, maxDirectoryLogins),
	}
	if c.Key != nil {
		sealer, err := seal.New(c.Key)
		if err != nil {
			return nil, err
		}
		s.sealer = sealer
	}
	s.reset()
	return s, nil
}

func (s *Service) reset() {
	s.users, s.groups, s.bindings = map[string]*userDoc{}, map[string]*groupDoc{}, map[string]*bindingDoc{}
	s.tokens, s.sessions, s.ldap = map[string]*tokenDoc{}, map[string]*sessionDoc{}, nil
	s.creds, s.principals, s.memberOf = map[[sha256.Size]byte]*credential{}, map[string]authz.Principal{}, map[string][]string{}
}

// put writes a stored document; the caller holds writeMu.
func (s *Service) put(ctx context.Context, kind, name string, doc any) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	if err := s.objects.Put(ctx, kind, name, data, nil); err != nil {
		return fmt.Errorf("failed to store %s %s: %w", kind, name, err)
	}
	return nil
}

// change runs apply on the maps under mu and works the principals out again; the caller
// holds writeMu and has stored the change.
func (s *Service) change(apply func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	apply()
	s.rebuild()
}
