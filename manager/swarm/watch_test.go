package swarm

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// fakeWatchEngine serves listings from its fields and events from a channel.
type fakeWatchEngine struct {
	mu           sync.Mutex
	nodes        []swarm.Node
	services     map[string]swarm.Service
	tasks        []swarm.Task
	next         map[string]swarm.Task
	filters      []string
	taskLists    atomic.Int64
	inspects     atomic.Int64
	serviceLists atomic.Int64
	events       chan events.Message
}

func (f *fakeWatchEngine) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	return f.nodes, nil
}

func (f *fakeWatchEngine) ServiceList(_ context.Context, o swarm.ServiceListOptions) ([]swarm.Service, error) {
	f.serviceLists.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []swarm.Service
	for _, s := range f.services {
		if !o.Filters.Contains("id") || o.Filters.ExactMatch("id", s.ID) {
			out = append(out, s)
		}
	}
	return out, nil
}

// TaskList answers the service and node filters; it counts every call and the filtered ones.
func (f *fakeWatchEngine) TaskList(_ context.Context, o swarm.TaskListOptions) ([]swarm.Task, error) {
	f.taskLists.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, o.Filters.Keys()...)
	if o.Filters.Contains("id") {
		f.inspects.Add(1) // a read of named tasks
	}
	var out []swarm.Task
	for _, t := range f.tasks {
		if (!o.Filters.Contains("id") || o.Filters.ExactMatch("id", t.ID)) &&
			(!o.Filters.Contains("service") || o.Filters.ExactMatch("service", t.ServiceID)) &&
			(!o.Filters.Contains("node") || o.Filters.ExactMatch("node", t.NodeID)) {
			out = append(out, t)
		}
	}
	return out, nil
}

// TaskInspectWithRaw answers from tasks, then moves the task to next[id] if set: the first
// read of a task sees it before Swarm caught up with its container.
func (f *fakeWatchEngine) TaskInspectWithRaw(_ context.Context, id string) (swarm.Task, []byte, error) {
	f.inspects.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, t := range f.tasks {
		if t.ID == id {
			if n, ok := f.next[id]; ok {
				f.tasks[i] = n
				delete(f.next, id)
			}
			return t, nil, nil
		}
	}
	return swarm.Task{}, nil, cerrdefs.ErrNotFound
}

func (f *fakeWatchEngine) setTasks(tasks ...swarm.Task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tasks = tasks
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

func newFakeWatch() (*fakeWatchEngine, *state.Store, *Watcher) {
	engine := &fakeWatchEngine{
		nodes: []swarm.Node{{ID: "n1", Description: swarm.NodeDescription{Hostname: "node1"},
			Status: swarm.NodeStatus{State: swarm.NodeStateReady}}},
		services: map[string]swarm.Service{"s1": watchedService("s1", "shop_web", 1)},
		tasks:    []swarm.Task{runningTask("t1", 1)},
		next:     map[string]swarm.Task{},
		events:   make(chan events.Message),
	}
	store := state.New()
	w := NewWatcher(engine, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.FastTaskInterval, w.SlowestTaskInterval = 5*time.Millisecond, 40*time.Millisecond
	return engine, store, w
}

func runningTask(id string, version uint64) swarm.Task {
	return swarm.Task{ID: id, ServiceID: "s1", NodeID: "n1", Meta: swarm.Meta{Version: swarm.Version{Index: version}},
		DesiredState: swarm.TaskStateRunning, Status: swarm.TaskStatus{State: swarm.TaskStateRunning}}
}

func withState(t swarm.Task, version uint64, st swarm.TaskState) swarm.Task {
	t.Version.Index, t.Status.State = version, st
	return t
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if ok() {
			return poll.Success()
		}
		return poll.Continue("waiting: %s", what)
	}, poll.WithTimeout(5*time.Second), poll.WithDelay(2*time.Millisecond))
}

func taskState(store *state.Store, id string) string {
	if t := store.TaskByID(nil, id); t != nil {
		return t.State
	}
	return ""
}

func TestWatcherWithoutAgentsPollsEveryTaskAndBacksOff(t *testing.T) {
	engine, store, w := newFakeWatch()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	waitFor(t, "the first sync", func() bool { return len(store.TasksByStack(nil, "shop")) == 1 })

	engine.setTasks(withState(runningTask("t1", 1), 2, swarm.TaskStateFailed))
	waitFor(t, "a poll without agents", func() bool { return taskState(store, "t1") == "failed" })

	// Backed off to the slowest interval (40 ms), polls go on: no agent reports this node.
	// (However slow the machine, they go on; they are never more often than every 40 ms.)
	time.Sleep(200 * time.Millisecond)
	before := engine.taskLists.Load()
	waitFor(t, "polls going on", func() bool { return engine.taskLists.Load() >= before+2 })
	before, start := engine.taskLists.Load(), time.Now()
	time.Sleep(200 * time.Millisecond)
	polls, most := engine.taskLists.Load()-before, int64(time.Since(start)/(40*time.Millisecond))+2
	assert.Check(t, polls <= most, "%d polls in %v, at 40 ms at most", polls, time.Since(start))

	engine.mu.Lock()
	engine.services["s1"] = watchedService("s1", "shop_web", 2)
	engine.mu.Unlock()
	engine.events <- events.Message{Type: events.ServiceEventType, Action: events.ActionUpdate, Actor: events.Actor{ID: "s1"}}
	waitFor(t, "the service event", func() bool { return store.ServiceByID(nil, "s1").Raw.Version.Index == 2 })

	engine.events <- events.Message{Type: events.ServiceEventType, Action: events.ActionRemove, Actor: events.Actor{ID: "s1"}}
	waitFor(t, "the removal", func() bool { return store.ServiceByID(nil, "s1") == nil })
}

func TestWatcherFollowsAgentsWithoutListingTasks(t *testing.T) {
	engine, store, w := newFakeWatch()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	waitFor(t, "the first sync", func() bool { return taskState(store, "t1") == "running" })
	w.NodeReported("n1", []string{"t1"}, time.Now())
	time.Sleep(100 * time.Millisecond) // the startup poll of every task backs off and ends
	lists := engine.taskLists.Load()

	// A container died: the first read sees the task still running, the next one failed.
	engine.next["t1"] = withState(runningTask("t1", 1), 2, swarm.TaskStateFailed)
	w.TaskEvents("n1", []api.TaskEvent{{TaskID: "t1", ServiceID: "s1", Action: api.TaskEventDie}})
	waitFor(t, "the event's task read until it failed", func() bool { return taskState(store, "t1") == "failed" })
	assert.Check(t, engine.inspects.Load() >= 2)

	// A task the report lists and the index does not know is read; the same
	// disagreement reported again is not read again.
	engine.setTasks(withState(runningTask("t1", 1), 2, swarm.TaskStateFailed), runningTask("t2", 1))
	w.NodeReported("n1", []string{"t2", "ghost"}, time.Now())
	waitFor(t, "the reported task", func() bool { return taskState(store, "t2") == "running" })
	time.Sleep(2 * w.HintGather)
	reads := engine.inspects.Load()
	w.NodeReported("n1", []string{"t2", "ghost"}, time.Now())
	time.Sleep(2 * w.HintGather) // a read would have been made by now
	assert.Check(t, is.Equal(engine.inspects.Load(), reads), "a known disagreement is not read again")

	w.NodeReported("n1", []string{"t2"}, time.Now())
	// The death woke s1: it is listed, filtered by service, and not listed on and on.
	waitFor(t, "the dead task's service listed", func() bool {
		engine.mu.Lock()
		defer engine.mu.Unlock()
		return slices.Contains(engine.filters, "service")
	})
	assert.Check(t, engine.taskLists.Load()-lists <= 5, "%d task lists while the agent reports", engine.taskLists.Load()-lists)
}

// TestWatcherReadsTheTasksOfASeriesOfEventsTogether: container starts that come one by
// one (a deploy's) are one task list by ID, not a read each.
func TestWatcherReadsTheTasksOfASeriesOfEventsTogether(t *testing.T) {
	engine, store, w := newFakeWatch()
	w.HintGather = time.Second // far longer than five calls take, loaded or not
	ids := []string{"t1", "t2", "t3", "t4", "t5"}
	var tasks []swarm.Task
	for _, id := range ids {
		tasks = append(tasks, withState(runningTask(id, 1), 1, swarm.TaskStateStarting))
	}
	engine.setTasks(tasks...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	waitFor(t, "the first sync", func() bool { return taskState(store, "t5") == "starting" })
	w.NodeReported("n1", nil, time.Now()) // n1 has an agent: its tasks follow its events
	time.Sleep(100 * time.Millisecond)    // the startup poll of every task backs off and ends

	var running []swarm.Task
	for _, id := range ids {
		running = append(running, withState(runningTask(id, 1), 2, swarm.TaskStateRunning))
	}
	engine.setTasks(running...)
	reads := engine.inspects.Load()
	for _, id := range ids {
		w.TaskEvents("n1", []api.TaskEvent{{TaskID: id, ServiceID: "s1", Action: api.TaskEventStart}})
	}
	waitFor(t, "the started tasks", func() bool {
		return !slices.ContainsFunc(ids, func(id string) bool { return taskState(store, id) != "running" })
	})
	assert.Check(t, is.Equal(engine.inspects.Load()-reads, int64(1)), "the five tasks are read in one call")
}

// TestHowAServiceWithTasksOnTheirWayStays: a task that an agent will tell of when its
// container starts keeps its service polled slowly; one pending, on a node without an
// agent, or not created yet keeps it polled soon.
func TestHowAServiceWithTasksOnTheirWayStays(t *testing.T) {
	c := coverage{any: true, uncovered: map[string]bool{"n2": true}}
	on := func(node string, st swarm.TaskState) swarm.Task {
		task := withState(runningTask(node+string(st), 1), 1, st)
		task.NodeID = node
		return task
	}
	for _, tc := range []struct {
		what  string
		tasks []swarm.Task
		want  keep
	}{
		{"all running", []swarm.Task{on("n1", swarm.TaskStateRunning), on("n2", swarm.TaskStateRunning)}, keepNot},
		{"starting on a node with an agent", []swarm.Task{on("n1", swarm.TaskStatePreparing), on("n1", swarm.TaskStateRunning)}, keepSlow},
		{"starting on a node without one", []swarm.Task{on("n1", swarm.TaskStatePreparing), on("n2", swarm.TaskStateStarting)}, keepBackingOff},
		{"pending", []swarm.Task{on("", swarm.TaskStatePending), on("n1", swarm.TaskStateRunning)}, keepBackingOff},
		{"a replica not created yet", []swarm.Task{on("n1", swarm.TaskStateRunning)}, keepBackingOff},
	} {
		_, store, w := newFakeWatch()
		svc := watchedService("s1", "shop_web", 1)
		replicas := uint64(2)
		svc.Spec.Mode.Replicated = &swarm.ReplicatedService{Replicas: &replicas}
		assert.NilError(t, store.UpsertServices(state.NewService(svc)))
		for _, task := range tc.tasks {
			assert.NilError(t, store.UpsertTasks(state.NewTask(task, "shop")))
		}
		assert.Check(t, is.Equal(w.stays(pollTarget{kind: targetService, id: "s1"}, c), tc.want), tc.what)
	}
}
