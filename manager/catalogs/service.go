package catalogs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/catalog/library"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// kind is the persist kind of catalog objects.
const kind = "catalog"

// embedded is the Library's URL and commit: it comes with the manager, not from Git.
const embedded = "embedded"

// validName is the rule of stack names, so that a catalog name can prefix a stack's.
var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,29}$`)

// Objects is the durable store; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// Service keeps the catalogs. Its methods are safe for concurrent use.
type Service struct {
	store   *state.Store // for environments
	objects Objects
	sealer  *sealer // nil without a catalog key: no private catalogs then
	now     func() time.Time
	log     *slog.Logger

	writes sync.Mutex // serializes Add and Remove, which check then persist

	mu      sync.RWMutex
	entries map[string]*entry // read-only once stored: changes swap the entry
	fetches uint64            // numbers fetches, so that an older one never replaces a newer
}

// document is a catalog as persisted.
type document struct {
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Branch    string    `json:"branch,omitempty"`
	Env       string    `json:"env,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	// CreatedBy added the catalog, from the address CreatedFrom.
	CreatedBy   string `json:"createdBy,omitempty"`
	CreatedFrom string `json:"createdFrom,omitempty"`
	// Credentials are the sealed username and password of a private catalog.
	Credentials string `json:"credentials,omitempty"`
}

// entry is a catalog and what its last fetches gave.
type entry struct {
	doc         document
	commit      string
	refreshedAt time.Time
	refreshedBy string           // who asked for the fetch that gave commit and index
	index       *catalog.Catalog // nil until the first good fetch
	list        []api.Template   // index's templates as lists show them, made once (see setIndex)
	err         string           // of the last fetch, "" when it succeeded
	fetch       uint64           // the fetch that produced commit and index
}

// New returns a service with no catalogs; Load adds the Library and the stored ones.
// key seals the credentials of private catalogs (see KeyFile); without one (nil), only
// catalogs that need none can be added.
func New(store *state.Store, objects Objects, key []byte, now func() time.Time, log *slog.Logger) (*Service, error) {
	s := &Service{store: store, objects: objects, now: now, log: log, entries: map[string]*entry{}}
	if key != nil {
		var err error
		if s.sealer, err = newSealer(key); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Load indexes the Library and reads the stored catalogs, without fetching them (Run does).
func (s *Service) Load(ctx context.Context) error {
	objs, err := s.objects.List(ctx, kind)
	if err != nil {
		return fmt.Errorf("failed to read catalogs: %w", err)
	}
	lib := &entry{doc: document{Name: api.CatalogLibrary, URL: embedded}, commit: embedded, refreshedAt: s.now().UTC(), refreshedBy: api.ActorManager}
	lib.setIndex(catalog.Index(library.FS))
	entries := map[string]*entry{api.CatalogLibrary: lib}
	for _, o := range objs {
		var d document
		if err := json.Unmarshal(o.Data, &d); err != nil {
			return fmt.Errorf("failed to decode stored catalog %s: %w", o.Name, err)
		}
		entries[d.Name] = &entry{doc: d}
	}
	s.mu.Lock()
	s.entries = entries
	s.mu.Unlock()
	return nil
}

// Add checks a new catalog, fetches it, and stores it only when the fetch succeeded. The
// catalog records its author, and the address they called from.
func (s *Service) Add(ctx context.Context, req api.CatalogAddRequest, author, remoteAddr string) (api.Catalog, error) {
	if err := s.check(req); err != nil {
		return api.Catalog{}, err
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	if s.entry(req.Name) != nil {
		return api.Catalog{}, api.Errorf(api.ErrConflict, "catalog %q already exists", req.Name)
	}
	d, err := s.newDocument(req)
	if err != nil {
		return api.Catalog{}, err
	}
	d.CreatedBy, d.CreatedFrom = author, remoteAddr
	e := s.fetch(ctx, d, author)
	if e.index == nil {
		return api.Catalog{}, api.Errorf(api.ErrInvalid, "cannot fetch %s: %s", d.URL, e.err)
	}
	data, _ := json.Marshal(d)
	if err := s.objects.Put(ctx, kind, d.Name, data, nil); err != nil {
		return api.Catalog{}, fmt.Errorf("failed to store catalog %s: %w", d.Name, err)
	}
	s.mu.Lock()
	s.entries[d.Name] = e
	s.mu.Unlock()
	return describe(e), nil
}

// check refuses a request that can never succeed.
func (s *Service) check(req api.CatalogAddRequest) error {
	switch {
	case req.Name == api.CatalogLibrary:
		return api.Errorf(api.ErrConflict, "catalog %q is EXOS's built-in Library; choose another name", req.Name)
	case !validName.MatchString(req.Name):
		return api.Errorf(api.ErrInvalid, "catalog name %q must be 1-30 letters, digits, '-' or '_', starting with a letter or digit", req.Name)
	case req.URL == "":
		return api.Errorf(api.ErrInvalid, "catalog %q needs the URL of a Git repository", req.Name)
	case req.Env != "" && s.store.EnvironmentByName(nil, req.Env) == nil:
		return api.Errorf(api.ErrInvalid, "environment %q does not exist (see `docker exos env ls`)", req.Env)
	}
	return nil
}

// newDocument is the catalog to store: credentials, from the request or the URL, sealed.
func (s *Service) newDocument(req api.CatalogAddRequest) (document, error) {
	d := document{Name: req.Name, URL: req.URL, Branch: req.Branch, Env: req.Env, CreatedAt: s.now().UTC()}
	var creds credentials
	d.URL, creds = splitUserInfo(req.URL)
	if req.Username != "" || req.Password != "" {
		creds = credentials{Username: req.Username, Password: req.Password}
	}
	if creds == (credentials{}) {
		return d, nil
	}
	if s.sealer == nil {
		return document{}, api.Errorf(api.ErrInvalid, "this manager has no catalog key to keep credentials with: run `docker exos manager install` again (it creates the Swarm secret exos-catalog-key), then add the catalog")
	}
	sealed, err := s.sealer.seal(d.Name, creds)
	if err != nil {
		return document{}, fmt.Errorf("failed to seal the credentials of catalog %s: %w", d.Name, err)
	}
	d.Credentials = sealed
	return d, nil
}

// Remove forgets a catalog and its templates. Stacks deployed from it stay.
func (s *Service) Remove(ctx context.Context, name string) error {
	if name == api.CatalogLibrary {
		return api.Errorf(api.ErrInvalid, "the Library is built into the manager and cannot be removed")
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	if s.entry(name) == nil {
		return notFound(name)
	}
	if err := s.objects.Delete(ctx, kind, name); err != nil {
		return fmt.Errorf("failed to remove catalog %s: %w", name, err)
	}
	s.mu.Lock()
	delete(s.entries, name)
	s.mu.Unlock()
	return nil
}

// List returns every catalog, the Library first, then by name.
func (s *Service) List() []api.Catalog {
	entries := s.snapshot()
	out := make([]api.Catalog, 0, len(entries))
	for _, e := range entries {
		out = append(out, describe(e))
	}
	return out
}

// entry returns the catalog called name, or nil.
func (s *Service) entry(name string) *entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.entries[name]
}

// snapshot returns the entries in list order: the Library first, then by name.
func (s *Service) snapshot() []*entry {
	s.mu.RLock()
	out := make([]*entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].doc.Name, out[j].doc.Name
		if (a == api.CatalogLibrary) != (b == api.CatalogLibrary) {
			return a == api.CatalogLibrary
		}
		return a < b
	})
	return out
}

func notFound(name string) error {
	return api.Errorf(api.ErrNotFound, "catalog %q does not exist (see `docker exos catalog ls`)", name)
}
