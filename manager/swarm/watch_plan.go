package swarm

import (
	"sync"
	"time"
)

// A pollTarget is a set of tasks the watcher lists with one filter: one service's, one
// node's, or (while no node has a reporting agent) every task.
type pollTarget struct {
	kind byte // targetService, targetNode or targetAll
	id   string
}

const (
	targetService = 's'
	targetNode    = 'n'
	targetAll     = 'a'
)

var everyTask = pollTarget{kind: targetAll}

// pollPlan says which targets are due. A woken target is polled soon, then dropped,
// unless it must stay (a node without an agent, a service being updated): those are
// polled less and less often while their listings show no change, then every slowest.
// It is safe for concurrent use: the event loop, the hint worker and the agents'
// handlers wake targets, and sooner tells the loop when one is due earlier than it planned
// to look.
type pollPlan struct {
	mu      sync.Mutex
	fast    time.Duration
	slowest time.Duration
	targets map[pollTarget]*schedule
	sooner  chan struct{}
}

type schedule struct {
	step time.Duration
	next time.Time
}

func newPollPlan(fast, slowest time.Duration) *pollPlan {
	return &pollPlan{fast: fast, slowest: slowest, targets: map[pollTarget]*schedule{}, sooner: make(chan struct{}, 1)}
}

// signalSooner tells the loop a target is due sooner than it may have planned to look (the
// caller holds mu). It never blocks: one signal waiting is enough.
func (p *pollPlan) signalSooner() {
	select {
	case p.sooner <- struct{}{}:
	default:
	}
}

// setIntervals changes the intervals, for a watcher configured after it was made.
func (p *pollPlan) setIntervals(fast, slowest time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fast, p.slowest = fast, slowest
}

// wake makes t due after first (and fast after that); a target already due sooner keeps
// its time.
func (p *pollPlan) wake(t pollTarget, now time.Time, first time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.targets[t]
	if !ok {
		s = &schedule{next: now.Add(first)}
		p.targets[t] = s
		p.signalSooner()
	}
	s.step = p.fast
	if next := now.Add(first); next.Before(s.next) {
		s.next = next
		p.signalSooner()
	}
}

// ensure adds t, due now, unless it is planned already.
func (p *pollPlan) ensure(t pollTarget, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.targets[t]; !ok {
		p.targets[t] = &schedule{step: p.fast, next: now}
		p.signalSooner()
	}
}

// wakeKind wakes every planned target of a kind.
func (p *pollPlan) wakeKind(kind byte, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for t, s := range p.targets {
		if t.kind == kind {
			s.step, s.next = p.fast, now.Add(p.fast)
			p.signalSooner()
		}
	}
}

// drop forgets t.
func (p *pollPlan) drop(t pollTarget) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.targets, t)
}

// due returns the targets whose time has come.
func (p *pollPlan) due(now time.Time) []pollTarget {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []pollTarget
	for t, s := range p.targets {
		if !now.Before(s.next) {
			out = append(out, t)
		}
	}
	return out
}

// earliest is when the first planned target is due; ok is false when none is planned.
func (p *pollPlan) earliest() (at time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.targets {
		if !ok || s.next.Before(at) {
			at, ok = s.next, true
		}
	}
	return at, ok
}

// keep is how a target stays in the plan after a poll.
type keep byte

const (
	// keepNot: dropped after the poll its wake asked for (every task, listed while no
	// node had an agent, backs off to slowest first).
	keepNot keep = iota
	// keepSlow: polled every slowest, for as long as it lasts.
	keepSlow
	// keepBackingOff: polled soon, then twice as late each time until slowest, for as
	// long as it lasts.
	keepBackingOff
)

// polled plans t's next poll after a listing that changed something or not. A service, or
// a node with an agent, is polled once a wake unless it must stay: their containers'
// events tell the rest, and a deploy of 200 services must not keep their tasks listed ten
// times a second. The listing of a node without an agent (or of every task) that changed
// something brings the next one soon again: nothing else tells of those tasks.
func (p *pollPlan) polled(t pollTarget, changed bool, how keep, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.targets[t]
	if !ok {
		return
	}
	switch {
	case how == keepNot && (t.kind != targetAll || s.step >= p.slowest):
		delete(p.targets, t)
		return
	case how == keepSlow:
		s.step = p.slowest
	case changed && how == keepBackingOff && t.kind != targetService:
		s.step = p.fast
	default:
		s.step = min(2*s.step, p.slowest)
	}
	s.next = now.Add(s.step)
}
