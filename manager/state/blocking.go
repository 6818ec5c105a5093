package state

import (
	"context"
	"time"

	"github.com/hashicorp/go-memdb"
)

// MaxBlockingWait caps how long BlockingQuery waits for a change.
const MaxBlockingWait = 5 * time.Minute

// QueryFn reads from the store, adding what it read to ws (see the read methods), and keeps
// its result in the caller's variables.
type QueryFn func(ws memdb.WatchSet) error

// BlockingQuery runs fn and returns the store index its result was read at. If minIndex is
// not 0 and the store has not passed it, BlockingQuery waits until something fn read
// changes, then runs fn again; it gives up after wait (capped at MaxBlockingWait, which is
// also used when wait <= 0) and returns the last result with a nil error. It returns ctx's
// error if ctx ends first, and fn's error as soon as fn fails.
func (s *Store) BlockingQuery(ctx context.Context, minIndex uint64, wait time.Duration, fn QueryFn) (uint64, error) {
	if wait <= 0 || wait > MaxBlockingWait {
		wait = MaxBlockingWait
	}
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		ws := memdb.NewWatchSet()
		index, err := s.consistentQuery(ws, fn)
		if err != nil || minIndex == 0 || index > minIndex {
			return index, err
		}
		if err := ws.WatchCtx(waitCtx); err != nil {
			// waitCtx ended: either the caller's ctx (an error) or the wait timed out (not
			// one: the caller serves the unchanged result).
			return index, ctx.Err()
		}
	}
}

// consistentQuery runs fn and returns the index its result matches. fn opens its own
// transactions, so a write landing while it runs would leave the result newer than the
// index read before it and its watch channels already past that write: such a run is
// simply repeated.
func (s *Store) consistentQuery(ws memdb.WatchSet, fn QueryFn) (uint64, error) {
	for {
		before := s.Index()
		if err := fn(ws); err != nil {
			return before, err
		}
		if s.Index() == before {
			return before, nil
		}
		clear(ws)
	}
}
