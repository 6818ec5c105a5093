// Package stacks deploys, rolls back and removes stacks and keeps their revision history.
//
// A deploy is validated completely (compose files, environment, conflicts with what the
// swarm holds) before anything changes; then its revision is written to the swarm, and only
// then applied. The revision is the intent record: a manager killed while applying finds it
// on start and finishes the job (Recover), so history and swarm always agree.
package stacks

import (
	"context"
	"regexp"
	"sync"
	"time"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// Deployer applies converted stacks to the swarm; *swarm.Deployer implements it.
type Deployer interface {
	Check(ctx context.Context, stack *composeext.Stack) error
	Apply(ctx context.Context, stack *composeext.Stack, revision int) ([]swarm.Change, error)
	Remove(ctx context.Context, stack string) error
	AppliedRevision(ctx context.Context, stack *composeext.Stack) (int, bool, error)
}

// Objects is the durable store of EXOS objects; *persist.Store implements it.
type Objects interface {
	Create(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// Service is the stack service. Its methods are safe for concurrent use; changes to one
// stack are serialized.
type Service struct {
	store    *state.Store
	objects  Objects
	deployer Deployer
	now      func() time.Time

	mu      sync.Mutex
	locks   map[string]*sync.Mutex
	removed map[string]int // stack -> the last revision it had when it was removed
}

// New returns a stack service.
func New(store *state.Store, objects Objects, deployer Deployer, now func() time.Time) *Service {
	return &Service{store: store, objects: objects, deployer: deployer, now: now, locks: map[string]*sync.Mutex{}, removed: map[string]int{}}
}

// The object kinds this package stores.
const (
	kindRevision = "revision"
	kindRemoved  = "stack-removed"
)

// managerStack is the manager's own stack: deploying over it would replace the manager.
const managerStack = "exos"

var validStackName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,29}$`)

func checkStackName(name string) error {
	if name == managerStack {
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
