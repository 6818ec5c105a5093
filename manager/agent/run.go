package agent

import (
	"context"
	"log/slog"
	"time"
)

// Run reports every interval until ctx ends. While reports fail it logs the first
// failure, then one line a minute at most with the count, and one when reports go
// through again: a manager away for an hour costs 60 lines, not 720.
func Run(ctx context.Context, a *Agent, s *Sender, interval time.Duration, log *slog.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var q quietLog
	for {
		report, err := a.Report(ctx)
		if err == nil {
			err = s.Send(ctx, report)
		}
		if ctx.Err() != nil {
			return
		}
		q.note(log, err, a.now())
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// quietEvery is how often a failure that goes on is logged again.
const quietEvery = time.Minute

// quietLog logs a run of failures sparsely.
type quietLog struct {
	failing  int // failures in a row
	loggedAt time.Time
}

func (q *quietLog) note(log *slog.Logger, err error, now time.Time) {
	switch {
	case err == nil && q.failing > 0:
		log.Info("reporting to the manager again", "failed", q.failing)
		q.failing = 0
	case err == nil:
	case q.failing == 0 || now.Sub(q.loggedAt) >= quietEvery:
		q.failing++
		q.loggedAt = now
		log.Warn("cannot report; trying again every interval", "err", err, "failed", q.failing)
	default:
		q.failing++
	}
}
