package audit

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// FlushInterval is how often Run writes what is new: batched events reach the swarm
// within it (plus the time the writes take), and single events are compacted.
const FlushInterval = 2 * time.Second

// Run flushes every interval until ctx ends, then once more.
func (l *Log) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = l.Flush(flush)
			cancel()
			return
		case <-t.C:
			if err := l.Flush(ctx); err != nil {
				l.log.Warn("cannot write the audit log; will retry", "err", err)
			}
		}
	}
}

// write is a segment to write: a copy of its events, the version they are, and the
// single events that go once it is written.
type write struct {
	number  int
	version int
	events  []Event
	singles []*record
}

// Flush puts the pending events into segments, writes the segments that changed, then
// removes the single events they now hold, and applies the retention. A segment is
// always written before the single events in it are removed.
func (l *Log) Flush(ctx context.Context) error {
	l.flushing.Lock()
	defer l.flushing.Unlock()
	writes, stale := l.prepare()
	var errs []error
	for _, w := range writes {
		if err := l.writeSegment(ctx, w); err != nil {
			errs = append(errs, err)
			break // later segments wait: the log is written in order
		}
	}
	if len(stale) > 0 {
		if err := l.removeSingles(ctx, stale); err != nil {
			l.restale(stale)
			errs = append(errs, err)
		}
	}
	errs = append(errs, l.retain(ctx))
	return errors.Join(errs...)
}

// prepare assigns the pending events to segments and returns the segments to write and
// the stale single events to remove.
func (l *Log) prepare() ([]write, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dropped > 0 {
		e := l.stamp(Event{Action: "audit.dropped", Result: ResultError,
			Detail: "batched events dropped: more than 1000 waited for one flush", Count: l.dropped})
		l.addLocked(&record{Event: e, size: eventSize(e)})
		l.dropped = 0
	}
	slices.SortFunc(l.pending, func(a, b *record) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range l.pending {
		s := l.segments[l.open]
		if s != nil && s.full(r.size) {
			l.open++
			s = nil
		}
		if s == nil {
			s = &segment{}
			l.segments[l.open] = s
		}
		r.seg = l.open
		s.add(r)
		s.version++
	}
	l.pending = l.pending[:0]
	for key, r := range l.recent {
		if l.now().Sub(r.Time) >= coalesceWindow || r.seg != l.open {
			delete(l.recent, key)
		}
	}
	var writes []write
	for _, n := range l.numbers() {
		s := l.segments[n]
		if !s.dirty() {
			continue
		}
		w := write{number: n, version: s.version, events: make([]Event, len(s.records))}
		for i, r := range s.records {
			w.events[i] = r.Event
			if r.single {
				w.singles = append(w.singles, r)
			}
		}
		writes = append(writes, w)
	}
	stale := l.stale
	l.stale = nil
	return writes, stale
}

// writeSegment writes one segment, then removes the single events it holds.
func (l *Log) writeSegment(ctx context.Context, w write) error {
	data, err := json.Marshal(document{Format: format, Events: w.events})
	if err != nil {
		return err
	}
	if err := l.objects.Put(ctx, kindSegment, segmentName(w.number), data, nil); err != nil {
		return err
	}
	l.mu.Lock()
	if s := l.segments[w.number]; s != nil {
		s.written = max(s.written, w.version)
	}
	l.mu.Unlock()
	if len(w.singles) == 0 {
		return nil
	}
	names := make([]string, len(w.singles))
	for i, r := range w.singles {
		names[i] = r.ID
	}
	if err := l.removeSingles(ctx, names); err != nil {
		l.restale(names) // in the segment now: only the removal is left to do
		return err
	}
	l.mu.Lock()
	for _, r := range w.singles {
		r.single = false
	}
	l.mu.Unlock()
	return nil
}

// removeSingles removes single events by name: one call each, and no list of every
// single event (whose bodies the Engine would send along).
func (l *Log) removeSingles(ctx context.Context, names []string) error {
	for _, n := range names {
		if err := l.objects.Remove(ctx, kindEvent, n); err != nil {
			return err
		}
	}
	return nil
}

func (l *Log) restale(names []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range names {
		if !slices.Contains(l.stale, n) {
			l.stale = append(l.stale, n)
		}
	}
}

// numbers returns the segment numbers in order. Callers hold l.mu.
func (l *Log) numbers() []int {
	out := make([]int, 0, len(l.segments))
	for n := range l.segments {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// retain drops closed segments, oldest first, that are older than the retention or beyond
// the size bound. A segment with changes not written yet is kept for the next round.
func (l *Log) retain(ctx context.Context) error {
	for _, n := range l.expired() {
		if err := l.objects.Delete(ctx, kindSegment, segmentName(n)); err != nil {
			return err
		}
		l.mu.Lock()
		delete(l.segments, n)
		l.events = slices.DeleteFunc(l.events, func(r *record) bool { return r.seg == n })
		l.mu.Unlock()
	}
	return nil
}

// expired returns the segments the retention drops.
func (l *Log) expired() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var total int64
	for _, s := range l.segments {
		total += int64(s.bytes)
	}
	var out []int
	for _, n := range l.numbers() {
		s := l.segments[n]
		tooOld := l.retention > 0 && l.now().Sub(s.newest) > l.retention
		tooBig := l.maxBytes > 0 && total > l.maxBytes
		if n >= l.open || s.dirty() || s.hasSingles() || !tooOld && !tooBig {
			break
		}
		out = append(out, n)
		total -= int64(s.bytes)
	}
	return out
}

func (s *segment) hasSingles() bool {
	return slices.ContainsFunc(s.records, func(r *record) bool { return r.single })
}
