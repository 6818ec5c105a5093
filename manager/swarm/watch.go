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
	ServiceInspectWithRaw(ctx context.Context, serviceID string, opts swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	NodeInspectWithRaw(ctx context.Context, nodeID string) (swarm.Node, []byte, error)
	Events(ctx context.Context, options events.ListOptions) (<-chan events.Message, <-chan error)
}

// Watcher keeps the index current: Swarm's event stream says when services and nodes change,
// and tasks, for which Swarm emits no events, are polled. A periodic full resync repairs
// whatever a dropped event stream missed.
type Watcher struct {
	engine WatchAPI
	store  *state.Store
	log    *slog.Logger
	// TaskInterval is how often tasks are polled; ResyncInterval how often everything is.
	TaskInterval   time.Duration
	ResyncInterval time.Duration
	// FastTaskInterval is how often tasks are polled for FastPeriod after a service changed:
	// that is when tasks start and stop, and when `stack deploy --wait` is watching.
	FastTaskInterval time.Duration
	FastPeriod       time.Duration
}

// NewWatcher returns a watcher with the default intervals.
func NewWatcher(engine WatchAPI, store *state.Store, log *slog.Logger) *Watcher {
	return &Watcher{
		engine: engine, store: store, log: log,
		TaskInterval: time.Second, ResyncInterval: 30 * time.Second,
		FastTaskInterval: 100 * time.Millisecond, FastPeriod: 30 * time.Second,
	}
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

// syncTasks replaces the index's tasks with a fresh listing.
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
