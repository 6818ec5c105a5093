package swarm

import (
	"context"
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
