package swarm

import (
	"context"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
)

// Run follows the event stream and polls tasks until ctx ends. The stream is (re)opened
// before a full resync, so nothing that happens in between is lost.
func (w *Watcher) Run(ctx context.Context) error {
	taskTick := time.NewTicker(w.FastTaskInterval)
	defer taskTick.Stop()
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
		err := w.follow(ctx, msgs, errs, taskTick.C, resyncTick.C)
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

func (w *Watcher) follow(ctx context.Context, msgs <-chan events.Message, errs <-chan error, taskTick, resyncTick <-chan time.Time) error {
	var lastPoll, fastUntil time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		case m := <-msgs:
			w.apply(ctx, m)
			if m.Type == events.ServiceEventType {
				fastUntil = time.Now().Add(w.FastPeriod)
			}
		case now := <-taskTick:
			if now.Before(fastUntil) || now.Sub(lastPoll) >= w.TaskInterval {
				lastPoll = now
				if err := w.syncTasks(ctx); err != nil {
					w.log.Warn("task poll failed", "err", err)
				}
			}
		case <-resyncTick:
			if err := w.Sync(ctx); err != nil {
				w.log.Warn("resync failed", "err", err)
			}
		}
	}
}

// apply refreshes the one object an event names.
func (w *Watcher) apply(ctx context.Context, m events.Message) {
	id := m.Actor.ID
	switch m.Type {
	case events.ServiceEventType:
		if m.Action == events.ActionRemove {
			w.store.DeleteService(id)
			return
		}
		s, _, err := w.engine.ServiceInspectWithRaw(ctx, id, swarm.ServiceInspectOptions{})
		if err != nil {
			w.log.Debug("service vanished before inspect", "id", id, "err", err)
			return
		}
		w.store.UpsertServices(state.NewService(s))
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
	}
}
