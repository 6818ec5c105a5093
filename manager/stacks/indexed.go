package stacks

import (
	"context"
	"time"

	"github.com/exos-platform/exos/manager/swarm"
	"github.com/hashicorp/go-memdb"
)

// IndexWait bounds how long a deploy waits for the index to show what it changed: the
// watcher reads a burst of service events within 250 ms.
const IndexWait = 2 * time.Second

// AwaitIndex makes every deploy answer only once the index shows its changes (or after
// wait), so that what the caller reads next shows the deploy, at no Engine call: the
// watcher's reading of the deploy's events is what is waited for.
func (s *Service) AwaitIndex(wait time.Duration) { s.indexWait = wait }

// awaitIndexed waits until the index holds every created service, every updated one at
// a newer version than before, and none of the removed ones. A deploy is not failed for
// an index that is late: its events bring the changes a moment later.
func (s *Service) awaitIndexed(ctx context.Context, applied *swarm.Applied) {
	if s.indexWait <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, s.indexWait)
	defer cancel()
	for {
		ws := memdb.NewWatchSet()
		if s.indexShows(ws, applied) {
			return
		}
		if err := ws.WatchCtx(ctx); err != nil {
			s.log.Debug("the index did not show the deploy in time; its events will", "wait", s.indexWait)
			return
		}
	}
}

func (s *Service) indexShows(ws memdb.WatchSet, applied *swarm.Applied) bool {
	for _, c := range applied.Changes {
		svc := s.store.ServiceByName(ws, c.Service)
		switch c.Action {
		case swarm.ActionCreated:
			if svc == nil {
				return false
			}
		case swarm.ActionUpdated:
			if svc == nil || svc.Raw.Version.Index <= applied.Before[c.Service] {
				return false
			}
		case swarm.ActionRemoved:
			if svc != nil {
				return false
			}
		}
	}
	return true
}
