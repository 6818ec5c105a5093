package swarm

import (
	"context"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/exos-platform/exos/manager/state"
)

// Run follows the event stream, reads the tasks agents name and polls the due targets
// until ctx ends. The stream is (re)opened before a full resync, so nothing that happens
// in between is lost.
func (w *Watcher) Run(ctx context.Context) error {
	w.plan.setIntervals(w.FastTaskInterval, w.SlowestTaskInterval)
	go w.readHints(ctx)
	polls := newPollClock(w.now(), w.FastTaskInterval)
	defer polls.timer.Stop()
	resyncTick := time.NewTicker(w.ResyncInterval)
	defer resyncTick.Stop()
	for {
		msgs, errs := w.engine.Events(ctx, events.ListOptions{Filters: filters.NewArgs(
			filters.Arg("type", string(events.ServiceEventType)),
			filters.Arg("type", string(events.NodeEventType)),
		)})
		// Whatever changed before the stream opened is picked up by listing everything
		// once it is open.
		if err := w.Sync(ctx); err != nil {
			w.log.Warn("resync failed", "err", err)
		}
		err := w.follow(ctx, msgs, errs, polls, resyncTick.C)
		if ctx.Err() != nil {
			return nil
		}
		w.log.Warn("event stream broke; reopening it", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func (w *Watcher) follow(ctx context.Context, msgs <-chan events.Message, errs <-chan error, polls *pollClock, resyncTick <-chan time.Time) error {
	burst := newServiceBurst()
	defer burst.timer.Stop()
	for {
		polls.arm(w.nextLook(), w.now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		case m := <-msgs:
			w.apply(ctx, m, burst)
		case <-burst.timer.C:
			w.readServices(ctx, burst.take())
		case <-w.plan.sooner:
		case <-polls.timer.C:
			w.pollDue(ctx)
		case <-resyncTick:
			if err := w.Sync(ctx); err != nil {
				w.log.Warn("resync failed", "err", err)
			}
		}
	}
}

// apply follows one event: a changed service joins the burst read together, a removed
// one leaves the index at once; a node is read again, and its tasks polled.
func (w *Watcher) apply(ctx context.Context, m events.Message, burst *serviceBurst) {
	id := m.Actor.ID
	switch m.Type {
	case events.ServiceEventType:
		if m.Action == events.ActionRemove {
			burst.forget(id)
			w.plan.drop(pollTarget{kind: targetService, id: id})
			w.store.DeleteService(id)
			return
		}
		burst.add(id, w.now())
	case events.NodeEventType:
		if m.Action == events.ActionRemove {
			w.store.DeleteNode(id)
			return
		}
		n, _, err := w.engine.NodeInspectWithRaw(ctx, id)
		if err != nil {
			w.log.Debug("node vanished before inspect", "id", id, "err", err)
			return
		}
		w.store.UpsertNodes(state.NewNode(n))
		w.plan.wake(pollTarget{kind: targetNode, id: id}, w.now(), w.FastTaskInterval)
	}
}
