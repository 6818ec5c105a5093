package swarm

import (
	"context"
	"slices"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// taskHint asks the watcher to read one task again, because an agent saw its container
// change. want is the state the event implies; until the task reaches it (Swarm learns of
// a container's start or death from its node a moment later) the read is retried.
type taskHint struct {
	id, service string
	want        func(swarm.TaskState) bool
	attempt     int
}

// hintRetries are the waits between reads of a task that has not yet caught up with its
// container: about 3 s in all, then the task's service is polled instead. Swarm learns
// of a start from its node some 100 ms later or more: reading sooner only reads again.
var hintRetries = []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond}

// afterDeathPoll is how long after a container died its service's tasks are listed:
// Swarm replaces the task (after its restart delay) and prunes the slot's history.
const afterDeathPoll = 2 * time.Second

// agentFeed is what the agents tell the watcher: when each node last reported, and which
// running tasks its last report listed that the index did not agree with.
type agentFeed struct {
	mu         sync.Mutex
	reportedAt map[string]time.Time
	mismatched map[string][]string // by node, sorted task IDs
}

// covered reports whether node has an agent reporting: its tasks follow its events.
func (f *agentFeed) covered(node string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.reportedAt[node]
	return ok && now.Sub(at) < api.AgentSilentAfter
}

// nextSilence is when the first node whose agent reports now falls silent if it sends
// nothing more, after now; ok is false when no agent reports.
func (f *agentFeed) nextSilence(now time.Time) (at time.Time, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, reported := range f.reportedAt {
		silent := reported.Add(api.AgentSilentAfter)
		if silent.After(now) && (!ok || silent.Before(at)) {
			at, ok = silent, true
		}
	}
	return at, ok
}

// TaskEvents takes a batch of container events from node's agent: each names a task to
// read again. It never blocks; when the queue is full the node's tasks are listed.
func (w *Watcher) TaskEvents(node string, evs []api.TaskEvent) {
	for _, ev := range evs {
		h := taskHint{id: ev.TaskID, service: ev.ServiceID}
		switch {
		case ev.Action == api.TaskEventStart, ev.Action == api.TaskEventHealth && ev.Health == "healthy":
			// With a healthcheck, Swarm's task is "starting" until the container is healthy.
			h.want = func(s swarm.TaskState) bool { return stateRank[s] >= stateRank[swarm.TaskStateRunning] }
		case ev.Action == api.TaskEventDie:
			h.want = func(s swarm.TaskState) bool { return stateRank[s] > stateRank[swarm.TaskStateRunning] }
			w.plan.wake(pollTarget{kind: targetService, id: ev.ServiceID}, w.now(), afterDeathPoll)
		}
		w.enqueue(h, node)
	}
}

// NodeReported takes the running tasks in node's report. Tasks on which the report and
// the index disagree are read again, once per disagreement: this is the repair that
// replaces listing every task, and it costs the Engine nothing while they agree.
func (w *Watcher) NodeReported(node string, running []string, at time.Time) {
	indexed := map[string]bool{}
	for _, t := range w.store.TasksByNode(nil, node) {
		if t.State == string(swarm.TaskStateRunning) {
			indexed[t.ID] = true
		}
	}
	var mismatch []string
	for _, id := range running {
		if !indexed[id] {
			mismatch = append(mismatch, id)
		}
		delete(indexed, id)
	}
	for id := range indexed {
		mismatch = append(mismatch, id)
	}
	slices.Sort(mismatch)
	w.feed.mu.Lock()
	w.feed.reportedAt[node] = at
	before := w.feed.mismatched[node]
	w.feed.mismatched[node] = mismatch
	w.feed.mu.Unlock()
	for _, id := range mismatch {
		if _, seen := slices.BinarySearch(before, id); !seen {
			w.enqueue(taskHint{id: id}, node)
		}
	}
}

func (w *Watcher) enqueue(h taskHint, node string) {
	select {
	case w.hints <- h:
	default:
		w.plan.wake(pollTarget{kind: targetNode, id: node}, w.now(), 0)
	}
}

// hintBatch bounds the tasks read in one call.
const hintBatch = 200

// readHints reads the hinted tasks until ctx ends: those that come within HintGather of
// each other in one call (a burst of container starts is one task list filtered by ID).
func (w *Watcher) readHints(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case h := <-w.hints:
			batch, ok := w.gatherHints(ctx, h)
			if !ok {
				return
			}
			w.readBatch(ctx, batch)
		}
	}
}

// gatherHints is first and the hints that follow it within HintGather, at most
// hintBatch; ok is false when ctx ended meanwhile.
func (w *Watcher) gatherHints(ctx context.Context, first taskHint) (batch []taskHint, ok bool) {
	batch = []taskHint{first}
	gather := time.NewTimer(w.HintGather)
	defer gather.Stop()
	for len(batch) < hintBatch {
		select {
		case <-ctx.Done():
			return nil, false
		case h := <-w.hints:
			batch = append(batch, h)
		case <-gather.C:
			return batch, true
		}
	}
	return batch, true
}

func (w *Watcher) readBatch(ctx context.Context, batch []taskHint) {
	found, err := w.readTasks(ctx, batch)
	if err != nil {
		w.log.Debug("cannot read the tasks agents named; polling their services", "tasks", len(batch), "err", err)
		for _, h := range batch {
			w.plan.wake(pollTarget{kind: targetService, id: h.service}, w.now(), 0)
		}
		return
	}
	for _, h := range batch {
		t, ok := found[h.id]
		if !ok {
			_ = w.store.DeleteTask(h.id)
			continue
		}
		w.applyHint(h, t)
	}
}

// readTasks reads the hinted tasks by ID; a task Swarm no longer has is missing from the
// answer.
func (w *Watcher) readTasks(ctx context.Context, batch []taskHint) (map[string]swarm.Task, error) {
	found := map[string]swarm.Task{}
	if len(batch) == 1 {
		t, _, err := w.engine.TaskInspectWithRaw(ctx, batch[0].id)
		if cerrdefs.IsNotFound(err) {
			return found, nil
		}
		found[t.ID] = t
		return found, err
	}
	args := filters.NewArgs()
	for _, h := range batch {
		args.Add("id", h.id)
	}
	tasks, err := w.engine.TaskList(ctx, swarm.TaskListOptions{Filters: args})
	for _, t := range tasks {
		found[t.ID] = t
	}
	return found, err
}

// applyHint indexes a task read for a hint, and reads it again later while it has not
// reached the state its container's event implies.
func (w *Watcher) applyHint(h taskHint, t swarm.Task) {
	if err := w.store.UpsertTasks(state.NewTask(t, w.stackOf(t.ServiceID))); err != nil {
		w.log.Warn("cannot index a task", "task", h.id, "err", err)
	}
	if h.want == nil || h.want(t.Status.State) {
		return
	}
	if h.attempt >= len(hintRetries) {
		w.plan.wake(pollTarget{kind: targetService, id: t.ServiceID}, w.now(), 0)
		return
	}
	wait := hintRetries[h.attempt]
	h.attempt++
	time.AfterFunc(wait, func() { w.enqueue(h, t.NodeID) })
}

// stackOf is the stack of an indexed service ("" for none or an unknown service).
func (w *Watcher) stackOf(serviceID string) string {
	if s := w.store.ServiceByID(nil, serviceID); s != nil {
		return s.Stack
	}
	return ""
}

// stateRank orders task states as a task moves through them.
var stateRank = map[swarm.TaskState]int{
	swarm.TaskStateNew: 0, swarm.TaskStateAllocated: 1, swarm.TaskStatePending: 2,
	swarm.TaskStateAssigned: 3, swarm.TaskStateAccepted: 4, swarm.TaskStatePreparing: 5,
	swarm.TaskStateReady: 6, swarm.TaskStateStarting: 7, swarm.TaskStateRunning: 8,
	swarm.TaskStateComplete: 9, swarm.TaskStateShutdown: 10, swarm.TaskStateFailed: 11,
	swarm.TaskStateRejected: 12, swarm.TaskStateRemove: 13, swarm.TaskStateOrphaned: 14,
}
