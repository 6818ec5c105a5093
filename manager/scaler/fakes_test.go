package scaler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
)

// fakeObjects is an in-memory persist store.
type fakeObjects struct {
	mu   sync.Mutex
	objs map[string]persist.Object
	puts int
}

func newFakeObjects() *fakeObjects { return &fakeObjects{objs: map[string]persist.Object{}} }

func (f *fakeObjects) Put(_ context.Context, kind, name string, data []byte, _ map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.puts++
	f.objs[kind+"/"+name] = persist.Object{Kind: kind, Name: name, Data: append([]byte(nil), data...)}
	return nil
}

func (f *fakeObjects) Delete(_ context.Context, kind, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.objs, kind+"/"+name)
	return nil
}

func (f *fakeObjects) List(_ context.Context, kind string) ([]persist.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []persist.Object
	for _, o := range f.objs {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out, nil
}

// fakeEngine holds services and applies updates to them and to the index, as the
// watcher would. raceOnce makes the next update fail "out of sequence" once; failWith
// makes every update fail.
type fakeEngine struct {
	mu       sync.Mutex
	services map[string]swarm.Service
	index    *state.Store
	updates  int
	raceOnce bool
	failWith error
}

func (f *fakeEngine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	svc, ok := f.services[id]
	if !ok {
		return swarm.Service{}, nil, fmt.Errorf("no such service %s", id)
	}
	return svc, nil, nil
}

func (f *fakeEngine) ServiceUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ServiceSpec, _ swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	svc := f.services[id]
	switch {
	case f.failWith != nil:
		return swarm.ServiceUpdateResponse{}, f.failWith
	case f.raceOnce:
		f.raceOnce = false
		svc.Version.Index++ // someone else updated it
		f.services[id] = svc
		return swarm.ServiceUpdateResponse{}, errors.New("rpc error: code = Unknown desc = update out of sequence")
	case version != svc.Version:
		return swarm.ServiceUpdateResponse{}, errors.New("rpc error: code = Unknown desc = update out of sequence")
	}
	svc.Spec, svc.Version.Index = spec, svc.Version.Index+1
	f.services[id] = svc
	f.updates++
	return swarm.ServiceUpdateResponse{}, f.index.UpsertServices(state.NewService(svc))
}

func (f *fakeEngine) replicas(id string) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return replicas(f.services[id])
}

type noLocks struct{}

func (noLocks) Lock(string) func() { return func() {} }

// testClock is a settable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// rig is a Scaler over fakes with one autoscaled service "web_app" (id "svc1", 2
// replicas, min 2, max 6, step up 2, cooldowns 1m up / 5m down) and one plain service
// "web_db" (id "svc2").
type rig struct {
	s       *Scaler
	engine  *fakeEngine
	objects *fakeObjects
	clock   *testClock
}

func newRig(t *testing.T) *rig {
	t.Helper()
	index := state.New()
	engine := &fakeEngine{services: map[string]swarm.Service{}, index: index}
	auto := map[string]string{
		"com.docker.stack.namespace": "web", "io.exos.autoscale": "true", "io.exos.autoscale.min": "2",
		"io.exos.autoscale.max": "6", "io.exos.autoscale.step.up": "2", "io.exos.autoscale.step.down": "1",
		"io.exos.autoscale.cooldown.up": "1m0s", "io.exos.autoscale.cooldown.down": "5m0s", "io.exos.autoscale.mode": "enforce",
	}
	for id, spec := range map[string]swarm.ServiceSpec{
		"svc1": serviceSpec("web_app", 2, auto),
		"svc2": serviceSpec("web_db", 1, map[string]string{"com.docker.stack.namespace": "web"}),
	} {
		svc := swarm.Service{ID: id, Spec: spec, Meta: swarm.Meta{Version: swarm.Version{Index: 10}}}
		engine.services[id] = svc
		assert.NilError(t, index.UpsertServices(state.NewService(svc)))
	}
	r := &rig{engine: engine, objects: newFakeObjects(), clock: &testClock{now: t0}}
	r.s = r.restart(t)
	return r
}

// restart builds a new Scaler over the same swarm, as a restarted manager would.
func (r *rig) restart(t *testing.T) *Scaler {
	t.Helper()
	s := New(Config{Index: r.engine.index, Engine: r.engine, Objects: r.objects, Locks: noLocks{}, Now: r.clock.Now, Log: slog.New(slog.DiscardHandler)})
	assert.NilError(t, s.Load(context.Background()))
	r.s = s
	return s
}

func serviceSpec(name string, replicas uint64, labels map[string]string) swarm.ServiceSpec {
	spec := swarm.ServiceSpec{Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}}}
	spec.Name, spec.Labels = name, labels
	return spec
}

func (r *rig) hook(t *testing.T, req api.HookCreateRequest) api.HookSecret {
	t.Helper()
	if req.Kind == "" {
		req.Kind = "scale"
	}
	h, err := r.s.CreateHook(context.Background(), req, "carol", "10.0.0.7:41000")
	assert.NilError(t, err)
	return h
}

func (r *rig) deliver(h api.HookSecret, body io.Reader) (api.HookResponse, error) {
	return r.s.Deliver(context.Background(), h.ID, h.Token, "10.0.0.9:9093", body)
}
