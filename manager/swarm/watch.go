package swarm

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
)

// WatchAPI is the part of the Engine API the watcher reads; *client.Client implements it.
type WatchAPI interface {
	NodeList(ctx context.Context, options swarm.NodeListOptions) ([]swarm.Node, error)
	ServiceList(ctx context.Context, options swarm.ServiceListOptions) ([]swarm.Service, error)
	TaskList(ctx context.Context, options swarm.TaskListOptions) ([]swarm.Task, error)
	NodeInspectWithRaw(ctx context.Context, nodeID string) (swarm.Node, []byte, error)
	TaskInspectWithRaw(ctx context.Context, taskID string) (swarm.Task, []byte, error)
	Events(ctx context.Context, options events.ListOptions) (<-chan events.Message, <-chan error)
}

// Watcher keeps the index current. Swarm's event stream says when services and nodes
// change; for tasks, of which Swarm sends no events, the agents forward their nodes'
// container events (TaskEvents) and report every node's running tasks (NodeReported).
// Tasks are listed only where those cannot tell: the services an event woke (backing
// off), nodes without a reporting agent (every task while no node has one), and
// everything when the event stream is opened again and every ResyncInterval.
type Watcher struct {
	engine WatchAPI
	store  *state.Store
	log    *slog.Logger
	now    func() time.Time
	// ResyncInterval is how often everything is listed, a repair for what every other
	// path missed: it is long, since at 20,000 tasks one listing is about 30 MB.
	ResyncInterval time.Duration
	// FastTaskInterval is the first wait before a woken target is polled, and the step of
	// the grid on which the loop looks for due targets (only when one is planned);
	// SlowestTaskInterval the longest wait between polls.
	FastTaskInterval    time.Duration
	SlowestTaskInterval time.Duration
	// HintGather is how long the first task an agent names waits for others before they
	// are read: a deploy's containers start one by one, and their tasks (and the reads
	// again of those that had not caught up) are read together.
	HintGather time.Duration
	plan       *pollPlan
	feed       agentFeed
	hints      chan taskHint
}

// hintQueue bounds the tasks waiting to be read again; beyond it a node is polled.
const hintQueue = 4096

// NewWatcher returns a watcher with the default intervals.
func NewWatcher(engine WatchAPI, store *state.Store, log *slog.Logger) *Watcher {
	w := &Watcher{
		engine: engine, store: store, log: log, now: time.Now,
		ResyncInterval:   30 * time.Minute,
		FastTaskInterval: 100 * time.Millisecond, SlowestTaskInterval: 5 * time.Second,
		HintGather: 50 * time.Millisecond,
		feed:       agentFeed{reportedAt: map[string]time.Time{}, mismatched: map[string][]string{}},
		hints:      make(chan taskHint, hintQueue),
	}
	w.plan = newPollPlan(w.FastTaskInterval, w.SlowestTaskInterval)
	return w
}

// Sync replaces the index's nodes, services and tasks with a full listing from the Engine.
func (w *Watcher) Sync(ctx context.Context) error {
	nodes, err := w.engine.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return fmt.Errorf("failed to list nodes: %w", err)
	}
	services, err := w.engine.ServiceList(ctx, swarm.ServiceListOptions{})
	if err != nil {
		return fmt.Errorf("failed to list services: %w", err)
	}
	tasks, err := w.engine.TaskList(ctx, swarm.TaskListOptions{})
	if err != nil {
		return fmt.Errorf("failed to list tasks: %w", err)
	}
	snap := state.Snapshot{}
	stackOf := map[string]string{}
	for _, s := range services {
		rec := state.NewService(s)
		stackOf[s.ID] = rec.Stack
		snap.Services = append(snap.Services, rec)
	}
	for _, n := range nodes {
		snap.Nodes = append(snap.Nodes, state.NewNode(n))
	}
	snap.Tasks = taskRecords(tasks, stackOf)
	return w.store.ReplaceAll(snap)
}

// syncTasks replaces the index's tasks with a listing of every task.
func (w *Watcher) syncTasks(ctx context.Context) error {
	tasks, err := w.engine.TaskList(ctx, swarm.TaskListOptions{})
	if err != nil {
		return fmt.Errorf("failed to list tasks: %w", err)
	}
	// One read of the services, not one per task: this runs ten times a second while a
	// deploy converges.
	stackOf := map[string]string{}
	for _, s := range w.store.Services(nil) {
		stackOf[s.ID] = s.Stack
	}
	return w.store.ReplaceTasksOfAll(taskRecords(tasks, stackOf))
}

// taskRecords makes index records of tasks; stackOf maps service IDs to their stacks.
func taskRecords(tasks []swarm.Task, stackOf map[string]string) []*state.Task {
	recs := make([]*state.Task, 0, len(tasks))
	for _, t := range tasks {
		recs = append(recs, state.NewTask(t, stackOf[t.ServiceID]))
	}
	return recs
}
