package swarm

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// fakeWatchEngine serves listings from its fields and events from a channel.
type fakeWatchEngine struct {
	mu        sync.Mutex
	nodes     []swarm.Node
	services  map[string]swarm.Service
	tasks     []swarm.Task
	taskLists atomic.Int64
	events    chan events.Message
}

func (f *fakeWatchEngine) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	return f.nodes, nil
}

func (f *fakeWatchEngine) ServiceList(context.Context, swarm.ServiceListOptions) ([]swarm.Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []swarm.Service
	for _, s := range f.services {
		out = append(out, s)
	}
	return out, nil
}

func (f *fakeWatchEngine) TaskList(context.Context, swarm.TaskListOptions) ([]swarm.Task, error) {
	f.taskLists.Add(1)
	return f.tasks, nil
}

func (f *fakeWatchEngine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.services[id], nil, nil
}

func (f *fakeWatchEngine) NodeInspectWithRaw(context.Context, string) (swarm.Node, []byte, error) {
	return f.nodes[0], nil, nil
}

func (f *fakeWatchEngine) Events(context.Context, events.ListOptions) (<-chan events.Message, <-chan error) {
	return f.events, make(chan error)
}

func watchedService(id, name string, version uint64) swarm.Service {
	return swarm.Service{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: version}},
		Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: name, Labels: map[string]string{LabelNamespace: "shop"}}}}
}

func TestWatcherFollowsEventsAndPollsTasksFastAfterAChange(t *testing.T) {
	engine := &fakeWatchEngine{
		nodes:    []swarm.Node{{ID: "n1", Description: swarm.NodeDescription{Hostname: "node1"}}},
		services: map[string]swarm.Service{"s1": watchedService("s1", "shop_web", 1)},
		tasks:    []swarm.Task{{ID: "t1", ServiceID: "s1", NodeID: "n1"}},
		events:   make(chan events.Message),
	}
	store := state.New()
	w := NewWatcher(engine, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.TaskInterval, w.FastTaskInterval, w.FastPeriod = time.Hour, 5*time.Millisecond, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)

	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if len(store.TasksByStack(nil, "shop")) == 1 && store.NodeByID(nil, "n1") != nil {
			return poll.Success()
		}
		return poll.Continue("waiting for the first sync")
	}, poll.WithTimeout(5*time.Second), poll.WithDelay(5*time.Millisecond))
	// The first tick polls (the task interval has passed since the zero time); then,
	// with no service event, tasks are left alone for an hour.
	time.Sleep(50 * time.Millisecond)
	quiet := engine.taskLists.Load()
	time.Sleep(50 * time.Millisecond)
	assert.Check(t, is.Equal(engine.taskLists.Load(), quiet), "no fast polling without a change")

	engine.mu.Lock()
	engine.services["s1"] = watchedService("s1", "shop_web", 2)
	engine.mu.Unlock()
	engine.events <- events.Message{Type: events.ServiceEventType, Action: events.ActionUpdate, Actor: events.Actor{ID: "s1"}}
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if engine.taskLists.Load() >= quiet+5 {
			return poll.Success()
		}
		return poll.Continue("%d task polls", engine.taskLists.Load()-quiet)
	}, poll.WithTimeout(5*time.Second), poll.WithDelay(5*time.Millisecond))
	assert.Check(t, is.Equal(store.ServiceByID(nil, "s1").Raw.Version.Index, uint64(2)))

	engine.events <- events.Message{Type: events.ServiceEventType, Action: events.ActionRemove, Actor: events.Actor{ID: "s1"}}
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if store.ServiceByID(nil, "s1") == nil {
			return poll.Success()
		}
		return poll.Continue("service still indexed")
	}, poll.WithTimeout(5*time.Second), poll.WithDelay(5*time.Millisecond))
}
