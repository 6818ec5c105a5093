package swarm

import "time"

// pollClock wakes the watcher's loop when there is something to poll, and only then: an
// idle manager that looked ten times a second for due targets spent most of its CPU on
// the wake-ups. It looks on a grid of fast steps from the start, as a ticker would, so
// targets due within one step are still polled together.
type pollClock struct {
	origin time.Time
	fast   time.Duration
	timer  *time.Timer
}

func newPollClock(now time.Time, fast time.Duration) *pollClock {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &pollClock{origin: now, fast: fast, timer: t}
}

// arm sets the timer for the first grid step at or after at (never before now), or stops
// it when there is nothing to look at (at is zero).
func (c *pollClock) arm(at, now time.Time) {
	if at.IsZero() {
		c.timer.Stop()
		return
	}
	c.timer.Reset(c.step(at, now).Sub(now))
}

// step is the first grid step at or after at and now.
func (c *pollClock) step(at, now time.Time) time.Time {
	if at.Before(now) {
		at = now
	}
	steps := (at.Sub(c.origin) + c.fast - 1) / c.fast
	return c.origin.Add(steps * c.fast)
}

// nextLook is when the loop must next look at the plan: the first due target (nodes
// without a reporting agent are planned first), or the first agent falling silent (its
// node's tasks are polled from then on); zero for never.
func (w *Watcher) nextLook() time.Time {
	now := w.now()
	w.coverage(now)
	due, planned := w.plan.earliest()
	silent, reporting := w.feed.nextSilence(now)
	switch {
	case planned && reporting:
		if silent.Before(due) {
			return silent
		}
		return due
	case planned:
		return due
	case reporting:
		return silent
	}
	return time.Time{}
}
