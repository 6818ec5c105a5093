package scaler

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
	"github.com/exos-platform/exos/manager/state"
	"golang.org/x/time/rate"
)

// Engine is the part of the Engine API a step needs; *client.Client implements it.
type Engine interface {
	ServiceInspectWithRaw(ctx context.Context, id string, opts swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	ServiceUpdate(ctx context.Context, id string, version swarm.Version, spec swarm.ServiceSpec, opts swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error)
}

// Locker serializes changes per stack; *stacks.Service implements it, so a step never
// runs in the middle of a deploy of the service's stack.
type Locker interface {
	Lock(stack string) (unlock func())
}

// kindScaleLog labels the configs holding the decision history, in segments.
const kindScaleLog = "scale-log"

// Config wires a Scaler.
type Config struct {
	Index   *state.Store
	Engine  Engine
	Objects hooks.Objects
	Locks   Locker
	// Hooks is the registry the scaler shares with the other kinds of hooks (nil: one of
	// its own, over Objects).
	Hooks *hooks.Registry
	Now   func() time.Time
	Log   *slog.Logger
	// HookRate bounds authenticated deliveries per hook and second (0: no limit);
	// HookBurst is the bucket size.
	HookRate  float64
	HookBurst int
}

// Scaler receives deliveries to hooks and scales services.
type Scaler struct {
	Hooks   *hooks.Registry
	History *hooks.History[api.ScaleDecision]
	index   *state.Store
	engine  Engine
	locks   Locker
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics
	limits  *hooks.Limiters

	mu     sync.Mutex
	memory map[string]Memory // by service name; dry-run decisions under name+"/dry-run"
}

// New returns a Scaler; call Load before serving.
func New(c Config) *Scaler {
	if c.Hooks == nil {
		c.Hooks = hooks.NewRegistry(c.Objects, c.Now)
	}
	return &Scaler{
		Hooks: c.Hooks, History: hooks.NewHistory[api.ScaleDecision](c.Objects, c.Log, kindScaleLog, "the scaling history"),
		index: c.Index, engine: c.Engine, locks: c.Locks, now: c.Now, log: c.Log,
		metrics: newMetrics(), limits: hooks.NewLimiters(rate.Limit(c.HookRate), c.HookBurst),
		memory: map[string]Memory{},
	}
}

// Load reads hooks and history from the swarm and re-records steps that services carry
// but the history lost (a crash between a step and the next history write).
func (s *Scaler) Load(ctx context.Context) error {
	if err := s.Hooks.Load(ctx); err != nil {
		return err
	}
	if err := s.History.Load(ctx); err != nil {
		return err
	}
	s.recoverSteps()
	return nil
}

// Deliver handles one delivery to hook id from remoteAddr: authenticate, parse, decide for
// every alert, apply. The error carries the HTTP status: 401 for any authentication
// failure, 4xx for a payload that can never succeed, 503 when Docker failed and
// Alertmanager should retry. Every decision records the hook's actor and remoteAddr.
func (s *Scaler) Deliver(ctx context.Context, id, token, remoteAddr string, body io.Reader) (api.HookResponse, error) {
	hook, err := s.Hooks.Authenticate(api.HookKindScale, id, token)
	if err != nil {
		// Counted, never recorded one by one, so a flood of bad requests cannot wash
		// the history out; answered the same whatever the cause.
		s.Hooks.CountRejected(id)
		return api.HookResponse{}, err
	}
	if !s.limits.Allow(hook.ID) {
		return api.HookResponse{}, api.Errorf(api.ErrTooManyRequests, "hook %s is over its rate limit; slow down", hook.ID)
	}
	msg, err := parseMessage(body)
	if err != nil {
		s.record(api.ScaleDecision{Hook: hook.ID, Decision: api.DecisionRejected, Reason: err.Error()}, remoteAddr)
		return api.HookResponse{}, err
	}
	plans, err := s.plan(hook, msg, remoteAddr)
	if err != nil {
		return api.HookResponse{}, err
	}
	return s.execute(ctx, hook, plans, remoteAddr)
}

// execute decides and applies every plan, ups first so that scale-up wins within one
// delivery. Every plan runs even when one fails, so one bad service cannot hold up the
// others; a Docker failure turns the answer into a 503.
func (s *Scaler) execute(ctx context.Context, hook api.Hook, plans []plan, source string) (api.HookResponse, error) {
	sort.SliceStable(plans, func(i, j int) bool {
		return plans[i].signal.Direction == api.ActionUp && plans[j].signal.Direction != api.ActionUp
	})
	resp := api.HookResponse{Decisions: make([]api.ScaleDecision, 0, len(plans))}
	var failed error
	for _, p := range plans {
		d, err := s.decide(ctx, hook, p)
		d = s.record(d, source)
		resp.Decisions = append(resp.Decisions, d)
		if err != nil && failed == nil {
			failed = err
		}
	}
	if failed != nil {
		return resp, failed
	}
	return resp, nil
}

// record adds a decision of a delivery from source to the history, and returns it as
// recorded: with its time and its author, the hook's actor.
func (s *Scaler) record(d api.ScaleDecision, source string) api.ScaleDecision {
	if d.Time.IsZero() {
		d.Time = s.now().UTC()
	}
	if d.Hook != "" {
		d.Actor = api.HookActor(d.Hook)
	}
	d.Source = source
	s.History.Add(d)
	s.metrics.decisions.WithLabelValues(d.Decision).Inc()
	return d
}
