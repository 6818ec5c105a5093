package swarm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
)

// The services that events name are read in one filtered list once their burst is over:
// a deploy of 200 services sends 200 events, a rolling update three per service, and one
// list answers them all. A burst ends when no event came for serviceQuiet, or when its
// first event waited serviceMaxWait.
const (
	serviceQuiet   = 50 * time.Millisecond
	serviceMaxWait = 250 * time.Millisecond
	// serviceFirstPoll is when a changed service's tasks are first listed: Swarm has
	// created and placed them by then, and one listing covers a whole deploy.
	serviceFirstPoll = 250 * time.Millisecond
)

// serviceBurst is the services named since the last read.
type serviceBurst struct {
	ids   map[string]bool
	first time.Time
	timer *time.Timer
}

func newServiceBurst() *serviceBurst {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &serviceBurst{ids: map[string]bool{}, timer: t}
}

// add notes a service and moves the read to the end of the burst.
func (b *serviceBurst) add(id string, now time.Time) {
	if len(b.ids) == 0 {
		b.first = now
	}
	b.ids[id] = true
	b.timer.Reset(min(serviceQuiet, b.first.Add(serviceMaxWait).Sub(now)))
}

// forget drops a removed service from the burst.
func (b *serviceBurst) forget(id string) { delete(b.ids, id) }

// take empties the burst.
func (b *serviceBurst) take() []string {
	ids := make([]string, 0, len(b.ids))
	for id := range b.ids {
		ids = append(ids, id)
	}
	clear(b.ids)
	return ids
}

// readServices indexes the services of a burst.
func (w *Watcher) readServices(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	args := filters.NewArgs()
	for _, id := range ids {
		args.Add("id", id)
	}
	services, err := w.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: args})
	if err != nil {
		w.log.Warn("cannot read the services events named; the next resync will", "services", len(ids), "err", err)
		return
	}
	w.index(services)
}

// RefreshStack reads the stack's services into the index now, for a caller that just
// changed them and answers next: what it answers, and what is read after it, shows the
// change. The events of that change, stamped before this read began, are not read again.
func (w *Watcher) RefreshStack(ctx context.Context, stack string) error {
	began := w.now()
	services, err := w.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelNamespace+"="+stack))})
	if err != nil {
		return fmt.Errorf("failed to read the services of stack %s: %w", stack, err)
	}
	w.readAt.note(services, began)
	w.index(services)
	return nil
}

// index upserts services read from the Engine and plans polls of their tasks (once the
// index knows their stacks, which their tasks' records carry).
func (w *Watcher) index(services []swarm.Service) {
	recs := make([]*state.Service, 0, len(services))
	for _, s := range services {
		recs = append(recs, state.NewService(s))
	}
	if err := w.store.UpsertServices(recs...); err != nil {
		w.log.Warn("cannot index services", "err", err)
	}
	now := w.now()
	for _, s := range services {
		w.plan.wake(pollTarget{kind: targetService, id: s.ID}, now, serviceFirstPoll)
	}
	w.plan.wakeKind(targetNode, now)
	w.plan.wakeKind(targetAll, now)
}

// readTimes says when each service was last read by RefreshStack: an event stamped
// before is already in the index.
type readTimes struct {
	mu sync.Mutex
	at map[string]time.Time
}

func (r *readTimes) note(services []swarm.Service, began time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range services {
		r.at[s.ID] = began
	}
}

// forget drops a removed service.
func (r *readTimes) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.at, id)
}

// seen reports whether the event of service id stamped at was read already, and forgets
// reads older than the event: later events are new.
func (r *readTimes) seen(id string, at time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	read, ok := r.at[id]
	if ok && !at.Before(read) {
		delete(r.at, id)
	}
	return ok && at.Before(read)
}
