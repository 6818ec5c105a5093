// Package stacks deploys, rolls back and removes stacks, keeps their revision history and
// tells how the swarm differs from it.
//
// A deploy is checked completely (compose files, environment, what the swarm holds)
// before anything changes; then its revision is recorded as pending, applied, and marked
// applied, or undone and marked failed if a write fails. A manager killed while applying
// finds the pending revision on start and finishes or undoes it (Recover). Nothing else
// is ever re-applied: what users change natively is reported as drift.
package stacks

import (
	"context"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// Objects is the durable store of EXOS objects; *persist.Store implements it.
type Objects interface {
	Create(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	SetLabels(ctx context.Context, kind, name string, labels map[string]string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
	Get(ctx context.Context, kind, name string) (persist.Object, error)
	Remove(ctx context.Context, kind, name string) error
	Delete(ctx context.Context, kind, name string) error
}

// Service is the stack service. Its methods are safe for concurrent use; changes to one
// stack are serialized.
type Service struct {
	store    *state.Store
	objects  Objects
	deployer *swarm.Deployer
	now      func() time.Time
	log      *slog.Logger
	drift    *driftCache
	current  *currentCache
	// registries, when set, pin images of known registries and carry their credentials.
	registries Registries

	mu        sync.Mutex
	locks     map[string]*sync.Mutex
	removals  map[string]removal  // stack -> its removal, while one is recorded
	archives  map[string]*archive // stack -> its archive segments
	keep      int                 // revision bodies kept outside the archive, per stack
	indexWait time.Duration       // how long a deploy waits for the index to show it; 0: not at all
}

// New returns a stack service that deploys through deployer and keeps its records in
// objects.
func New(store *state.Store, objects Objects, deployer *swarm.Deployer, now func() time.Time, log *slog.Logger) *Service {
	return &Service{
		store: store, objects: objects, deployer: deployer, now: now, log: log, drift: newDriftCache(), current: newCurrentCache(),
		locks: map[string]*sync.Mutex{}, removals: map[string]removal{}, archives: map[string]*archive{},
		keep: DefaultKeptRevisions,
	}
}

var validStackName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,29}$`)

func checkStackName(name string) error {
	if name == api.ManagerStack {
		return api.Errorf(api.ErrInvalid, "stack name %q is reserved for the EXOS manager", name)
	}
	if !validStackName.MatchString(name) {
		return api.Errorf(api.ErrInvalid, "stack name %q must start with a letter or digit and hold at most 30 letters, digits, '-' or '_'", name)
	}
	return nil
}

// Lock holds off every other change to the stack (deploys, rollbacks, removal, the
// scaler's steps) until the returned function is called.
func (s *Service) Lock(stack string) (unlock func()) { return s.lock(stack) }

// lock serializes changes to one stack.
func (s *Service) lock(stack string) func() {
	s.mu.Lock()
	l, ok := s.locks[stack]
	if !ok {
		l = &sync.Mutex{}
		s.locks[stack] = l
	}
	s.mu.Unlock()
	l.Lock()
	return l.Unlock
}
