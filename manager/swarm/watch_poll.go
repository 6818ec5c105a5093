package swarm

import (
	"context"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
)

// coverage is which nodes have an agent reporting, at one moment.
type coverage struct {
	any       bool            // some node has: without any, every task is polled
	uncovered map[string]bool // ready nodes without one: their tasks are polled
}

// coverage looks at the nodes and plans a poll for those without a reporting agent.
func (w *Watcher) coverage(now time.Time) coverage {
	c := coverage{uncovered: map[string]bool{}}
	for _, n := range w.store.Nodes(nil) {
		switch {
		case w.feed.covered(n.ID, now):
			c.any = true
		case n.Raw.Status.State == swarm.NodeStateReady:
			c.uncovered[n.ID] = true
		}
	}
	if !c.any {
		w.plan.ensure(everyTask, now)
		return c
	}
	for id := range c.uncovered {
		w.plan.ensure(pollTarget{kind: targetNode, id: id}, now)
	}
	return c
}

// stays says how t is kept in the plan after a poll: a node without an agent, every task
// while no node has one and a service with work in progress are kept (backing off from
// fast); a service whose only tasks on their way are on nodes with an agent, which will
// tell when their containers start, is polled every slowest, for a task Swarm rejects
// before it has a container.
func (w *Watcher) stays(t pollTarget, c coverage) keep {
	switch {
	case t.kind == targetAll && !c.any, t.kind == targetNode && c.uncovered[t.id]:
		return keepBackingOff
	case t.kind != targetService:
		return keepNot
	}
	s := w.store.ServiceByID(nil, t.id)
	switch {
	case s == nil:
		return keepNot
	case updating(s.Raw):
		return keepBackingOff
	}
	return w.tasksOnTheirWay(s, c)
}

// tasksOnTheirWay says whether a task of the service should run and does not yet: one
// pending or on a node without an agent (keepBackingOff), or only ones on nodes with an
// agent, being assigned, pulling their image, starting (keepSlow); so does a replica
// Swarm has not created yet (keepBackingOff).
func (w *Watcher) tasksOnTheirWay(s *state.Service, c coverage) keep {
	wanted, how := 0, keepNot
	for _, t := range w.store.TasksByService(nil, s.ID) {
		if t.DesiredState != string(swarm.TaskStateRunning) {
			continue
		}
		wanted++
		rank := stateRank[swarm.TaskState(t.State)]
		switch {
		case rank >= stateRank[swarm.TaskStateRunning]: // on its way no more
		case rank < stateRank[swarm.TaskStateAssigned] || t.NodeID == "" || c.uncovered[t.NodeID]:
			return keepBackingOff
		default:
			how = keepSlow
		}
	}
	mode := s.Raw.Spec.Mode
	if mode.Replicated != nil && mode.Replicated.Replicas != nil && wanted < int(*mode.Replicated.Replicas) {
		return keepBackingOff
	}
	return how
}

// updating reports whether Swarm is rolling out (or back) an update of s.
func updating(s swarm.Service) bool {
	if s.UpdateStatus == nil {
		return false
	}
	switch s.UpdateStatus.State {
	case swarm.UpdateStateUpdating, swarm.UpdateStateRollbackStarted:
		return true
	}
	return false
}

// pollDue lists the tasks of every due target: every task, or the due services' and the
// due nodes' tasks in one filtered call each.
func (w *Watcher) pollDue(ctx context.Context) {
	now := w.now()
	c := w.coverage(now)
	due := w.plan.due(now)
	byKind := map[byte][]string{}
	for _, t := range due {
		byKind[t.kind] = append(byKind[t.kind], t.id)
	}
	if _, ok := byKind[targetAll]; ok {
		changed, err := w.pollEvery(ctx)
		w.log.Debug("polled every task", "changed", changed, "err", err)
		for _, t := range due {
			w.plan.polled(t, changed && err == nil, w.stays(t, c), now)
		}
		return
	}
	for _, kind := range []byte{targetService, targetNode} {
		if ids := byKind[kind]; len(ids) > 0 {
			w.pollTargets(ctx, kind, ids, c, now)
		}
	}
}

func (w *Watcher) pollEvery(ctx context.Context) (bool, error) {
	before := w.store.Index()
	if err := w.syncTasks(ctx); err != nil {
		w.log.Warn("task poll failed", "err", err)
		return false, err
	}
	return w.store.Index() != before, nil
}

// pollTargets lists the tasks of targets of one kind in one call. When that fails (a
// service or node went away since it was planned, and the Engine refuses the filter),
// each target is listed alone, and one that fails is dropped.
func (w *Watcher) pollTargets(ctx context.Context, kind byte, ids []string, c coverage, now time.Time) {
	tasks, err := w.engine.TaskList(ctx, swarm.TaskListOptions{Filters: targetFilter(kind, ids)})
	if err != nil && len(ids) > 1 {
		for _, id := range ids {
			w.pollTargets(ctx, kind, []string{id}, c, now)
		}
		return
	}
	if err != nil {
		w.log.Debug("cannot poll tasks; dropping the target", "id", ids[0], "err", err)
		w.plan.drop(pollTarget{kind: kind, id: ids[0]})
		return
	}
	grouped := map[string][]*state.Task{}
	for _, t := range tasks {
		key := t.ServiceID
		if kind == targetNode {
			key = t.NodeID
		}
		grouped[key] = append(grouped[key], state.NewTask(t, w.stackOf(t.ServiceID)))
	}
	for _, id := range ids {
		replace := w.store.ReplaceServiceTasks
		if kind == targetNode {
			replace = w.store.ReplaceNodeTasks
		}
		changed, err := replace(id, grouped[id])
		if err != nil {
			w.log.Warn("cannot index polled tasks", "id", id, "err", err)
		}
		t := pollTarget{kind: kind, id: id}
		w.plan.polled(t, changed, w.stays(t, c), now)
	}
}

func targetFilter(kind byte, ids []string) filters.Args {
	key := "service"
	if kind == targetNode {
		key = "node"
	}
	args := filters.NewArgs()
	for _, id := range ids {
		args.Add(key, id)
	}
	return args
}
