package dashboard

import (
	"context"
	"time"

	"github.com/hashicorp/go-memdb"
)

const (
	// RecordInterval is how often Run compares the nodes' states with the timeline: an
	// agent gone silent shows within AgentSilentAfter plus this.
	RecordInterval = time.Second
	// flushInterval is how often Run writes the timeline, if it changed.
	flushInterval = 10 * time.Second
	// rebuildEvery spaces the rebuilds of the model: a burst of index changes (a deploy
	// of many services) is one rebuild.
	rebuildEvery = 250 * time.Millisecond
	// driftEvery spaces the questions to the stacks about their drift.
	driftEvery = 10 * time.Second
)

// Run keeps the model current with the index and records the hosts' transitions every
// interval until ctx ends, writing the timeline every flushInterval and once at the end.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	go s.followIndex(ctx)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	lastFlush := s.now()
	for {
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := s.Flush(flush); err != nil {
				s.log.Warn("cannot write the host timeline", "err", err)
			}
			return
		case <-ticker.C:
			s.Record()
			if now := s.now(); now.Sub(lastFlush) >= flushInterval {
				lastFlush = now
				if err := s.Flush(ctx); err != nil {
					s.log.Warn("cannot write the host timeline; will retry", "err", err)
				}
			}
		}
	}
}

// followIndex rebuilds the model when the index changes, and tells the watchers. The
// stacks' drift, costly to tell, is asked at most every driftEvery: a change that only
// drifts shows that much later.
func (s *Service) followIndex(ctx context.Context) {
	var drifted time.Time
	for {
		ws := memdb.NewWatchSet()
		withDrift := time.Since(drifted) >= driftEvery
		if withDrift {
			drifted = time.Now()
		}
		s.rebuildMu.Lock()
		s.rebuild(ws, withDrift)
		s.rebuildMu.Unlock()
		s.notify()
		// Wait for a change, or for the drift that was not asked this time.
		wait, cancel := context.WithTimeout(ctx, time.Until(drifted.Add(driftEvery)))
		_ = ws.WatchCtx(wait)
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-time.After(rebuildEvery):
		}
	}
}
