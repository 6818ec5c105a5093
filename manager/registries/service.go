// Package registries keeps the private image registries EXOS knows: global ones (the
// admin's) and those of one environment. A registry is stored as a Swarm config (package
// persist) without its password; the password is sealed under the catalog key (package
// seal) in the same document. It is not a Swarm secret because the manager must read it
// back to log in and, later, to pass it to Swarm on deploys, and the Engine API never
// returns a secret's data; the catalog key itself is the Swarm secret that protects it.
package registries

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/seal"
	"github.com/exos-platform/exos/manager/state"
)

// kind is the persist kind of registry objects.
const kind = "registry"

// validName is the rule of catalog and stack names.
var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,29}$`)

// Objects is the durable store; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// Service keeps the registries. Its methods are safe for concurrent use.
type Service struct {
	store   *state.Store // for environments
	objects Objects
	sealer  *seal.Sealer // nil without a catalog key: no passwords then
	now     func() time.Time

	writes sync.Mutex // serializes Add and Remove, which check then persist

	mu      sync.RWMutex
	entries map[string]document

	platforms platformCache // what Resolve read of each digest
}

// document is a registry as persisted.
type document struct {
	api.Registry
	// Password is the sealed password, "" for none.
	Password string `json:"sealedPassword,omitempty"`
	// transport talks to the registry (its CA, or insecure): one per registry, built when
	// it is loaded or added, so that logins, lookups and browsing reuse its connections
	// instead of a TLS handshake (and idle connections left open) per call. Not stored.
	transport *http.Transport
}

// New returns a service with no registries; Load reads the stored ones. key seals the
// passwords (the catalog key); without one (nil), registries need no password.
func New(store *state.Store, objects Objects, key []byte, now func() time.Time) (*Service, error) {
	s := &Service{store: store, objects: objects, now: now, entries: map[string]document{}}
	if key != nil {
		var err error
		if s.sealer, err = seal.New(key); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Load reads the stored registries.
func (s *Service) Load(ctx context.Context) error {
	objs, err := s.objects.List(ctx, kind)
	if err != nil {
		return fmt.Errorf("failed to read registries: %w", err)
	}
	entries := map[string]document{}
	for _, o := range objs {
		var d document
		if err := json.Unmarshal(o.Data, &d); err != nil {
			return fmt.Errorf("failed to decode stored registry %s: %w", o.Name, err)
		}
		if d.transport, err = roundTripper(d); err != nil {
			return fmt.Errorf("stored registry %s: %w", o.Name, err)
		}
		entries[d.Name] = d
	}
	s.mu.Lock()
	s.entries = entries
	s.mu.Unlock()
	return nil
}

// Add checks and stores a new registry, its password sealed. It does not contact the
// registry: TestLogin does.
func (s *Service) Add(ctx context.Context, req api.RegistryAddRequest, author, remoteAddr string) (api.Registry, error) {
	d, err := s.newDocument(req)
	if err != nil {
		return api.Registry{}, err
	}
	d.CreatedBy, d.CreatedFrom = author, remoteAddr
	s.writes.Lock()
	defer s.writes.Unlock()
	if _, err := s.Inspect(req.Name); err == nil {
		return api.Registry{}, api.Errorf(api.ErrConflict, "registry %q already exists (remove it first to change it)", req.Name)
	}
	data, _ := json.Marshal(d)
	if err := s.objects.Put(ctx, kind, d.Name, data, nil); err != nil {
		return api.Registry{}, fmt.Errorf("failed to store registry %s: %w", d.Name, err)
	}
	s.mu.Lock()
	s.entries[d.Name] = d
	s.mu.Unlock()
	return d.Registry, nil
}

// newDocument checks req and makes the registry to store.
func (s *Service) newDocument(req api.RegistryAddRequest) (document, error) {
	switch {
	case !validName.MatchString(req.Name):
		return document{}, api.Errorf(api.ErrInvalid, "registry name %q must be 1-30 letters, digits, '-' or '_', starting with a letter or digit", req.Name)
	case req.Env != "" && s.store.EnvironmentByName(nil, req.Env) == nil:
		return document{}, api.Errorf(api.ErrInvalid, "environment %q does not exist (see `docker exos env ls`)", req.Env)
	case req.Insecure && req.CA != "":
		return document{}, api.Errorf(api.ErrInvalid, "registry %q: give a CA or --insecure, not both", req.Name)
	case req.Password != "" && req.Username == "":
		return document{}, api.Errorf(api.ErrInvalid, "registry %q: a password needs a --username", req.Name)
	}
	host, err := parseAddress(req.URL, req.Insecure)
	if err != nil {
		return document{}, api.Errorf(api.ErrInvalid, "registry %q: %v", req.Name, err)
	}
	d := document{Registry: api.Registry{Name: req.Name, URL: host, Env: req.Env, Username: req.Username,
		HasPassword: req.Password != "", Insecure: req.Insecure, CA: req.CA, CreatedAt: s.now().UTC()}}
	if d.transport, err = roundTripper(d); err != nil {
		return document{}, api.Errorf(api.ErrInvalid, "registry %q: %v", req.Name, err)
	}
	if req.Password == "" {
		return d, nil
	}
	if s.sealer == nil {
		return document{}, api.Errorf(api.ErrInvalid, "this manager has no catalog key to keep passwords with: run `docker exos manager install` again (it creates the Swarm secret exos-catalog-key), then add the registry")
	}
	if d.Password, err = s.sealer.Seal(sealName(req.Name), []byte(req.Password)); err != nil {
		return document{}, fmt.Errorf("failed to seal the password of registry %s: %w", req.Name, err)
	}
	return d, nil
}

// sealName binds a sealed password to its registry, apart from catalogs of the same name.
func sealName(name string) string { return "registry/" + name }

// Remove forgets a registry and its password.
func (s *Service) Remove(ctx context.Context, name string) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	d, ok := s.document(name)
	if !ok {
		return NotFound(name)
	}
	if err := s.objects.Delete(ctx, kind, name); err != nil {
		return fmt.Errorf("failed to remove registry %s: %w", name, err)
	}
	s.mu.Lock()
	delete(s.entries, name)
	s.mu.Unlock()
	d.transport.CloseIdleConnections()
	return nil
}

// List returns every registry, by name.
func (s *Service) List() []api.Registry {
	s.mu.RLock()
	out := make([]api.Registry, 0, len(s.entries))
	for _, d := range s.entries {
		out = append(out, d.Registry)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Inspect returns registry name.
func (s *Service) Inspect(name string) (api.Registry, error) {
	d, ok := s.document(name)
	if !ok {
		return api.Registry{}, NotFound(name)
	}
	return d.Registry, nil
}

func (s *Service) document(name string) (document, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.entries[name]
	return d, ok
}

// NotFound is the error of a registry that does not exist (or that the caller may not see).
func NotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "registry %q does not exist (see `docker exos registry ls`)", name)
}
