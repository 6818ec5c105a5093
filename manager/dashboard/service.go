package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// ErrUnknownNode refuses a report of a node the index does not know: only the swarm's
// own nodes report, and an unknown one must not grow the manager's memory.
var ErrUnknownNode = fmt.Errorf("the report is of a node the swarm does not know: %w", api.ErrForbidden)

// Registries lists the registries, for their counter; *registries.Service implements it.
type Registries interface {
	List() []api.Registry
}

// Drifts tells how a stack differs from its current revision; *stacks.Service implements it.
type Drifts interface {
	Drift(stack string) []api.Drift
}

// Objects is the durable store of the timeline and the pins; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// Config wires a Service.
type Config struct {
	Index   *state.Store
	Objects Objects
	// Registries and Drifts may be nil: no registries counted, no drift told.
	Registries Registries
	Drifts     Drifts
	Now        func() time.Time
	Log        *slog.Logger
}

// Service is the dashboard. Its methods are safe for concurrent use.
type Service struct {
	index      *state.Store
	objects    Objects
	registries Registries
	drifts     Drifts
	now        func() time.Time
	log        *slog.Logger
	started    time.Time // a node no agent reported since is silent only AgentSilentAfter later

	current   atomic.Pointer[model]
	rebuildMu sync.Mutex // one model built at a time

	mu       sync.RWMutex // guards samples and the timeline
	samples  samples
	timeline *timeline

	pinsMu sync.RWMutex
	pins   map[string]api.DashboardPins

	changedMu sync.Mutex
	changed   chan struct{}
}

// New returns a dashboard with no reports, timeline or pins; Load reads the latter two.
func New(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		index: c.Index, objects: c.Objects, registries: c.Registries, drifts: c.Drifts, now: c.Now, log: c.Log,
		started: c.Now(), samples: newSamples(), timeline: newTimeline(), pins: map[string]api.DashboardPins{},
		changed: make(chan struct{}),
	}
}

// Changed returns a channel closed at the next change: a report, a change of the index,
// a host changing state.
func (s *Service) Changed() <-chan struct{} {
	s.changedMu.Lock()
	defer s.changedMu.Unlock()
	return s.changed
}

func (s *Service) notify() {
	s.changedMu.Lock()
	defer s.changedMu.Unlock()
	close(s.changed)
	s.changed = make(chan struct{})
}

// maxPerReport bounds what one report may hold, so that memory stays bounded whatever an
// agent sends: ten times the containers a node usually runs.
const maxPerReport = 1000

// Ingest takes an agent's report. A report of a node the index does not know is refused
// with ErrUnknownNode, one holding over maxPerReport containers or volumes as invalid.
func (s *Service) Ingest(report api.AgentReport) error {
	m := s.model()
	if m.nodes[report.NodeID] == nil {
		return fmt.Errorf("node %q: %w", report.NodeID, ErrUnknownNode)
	}
	if len(report.Containers) > maxPerReport || len(report.Volumes) > maxPerReport {
		return api.Errorf(api.ErrInvalid, "a report holds at most %d containers and %d volumes", maxPerReport, maxPerReport)
	}
	now := s.now()
	s.mu.Lock()
	s.samples.ingest(m, report, now)
	s.mu.Unlock()
	s.notify()
	return nil
}

// Load reads the timeline and the pins from the swarm.
func (s *Service) Load(ctx context.Context) error {
	if err := s.loadTimeline(ctx); err != nil {
		return err
	}
	return s.loadPins(ctx)
}
