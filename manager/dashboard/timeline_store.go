package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

const (
	// kindTimeline labels the configs of the host timeline, one per segment.
	kindTimeline = "dashboard-timeline"
	// segmentTransitions closes a segment: about 100 KiB of JSON, far below Swarm's
	// 500 KiB for a config even before compression.
	segmentTransitions = 1000
	// Retention is how long the timeline keeps a transition.
	Retention = 30 * 24 * time.Hour
	// maxClosed bounds the closed segments kept (a flapping node must not fill the
	// swarm): beyond it the oldest go, whatever their age.
	maxClosed = 100
	// timelineFormat is the version of the stored documents.
	timelineFormat = 1
)

type timelineDoc struct {
	Format      int          `json:"format"`
	Transitions []transition `json:"transitions"`
}

// Record compares every node's state with the timeline and records the transitions;
// Run calls it every few seconds. A change notifies the watchers.
func (s *Service) Record() {
	m, now := s.model(), s.now()
	s.mu.Lock()
	rows := s.hostRows(m, func(string) bool { return true }, now)
	states := make([]nodeState, len(rows))
	for i, row := range rows {
		states[i] = nodeState{id: row.node.ID, hostname: row.node.Hostname, state: row.state}
	}
	ts := transitions(s.timeline.last(), states, now)
	s.timeline.add(ts)
	s.samples.sweep(m, now)
	s.mu.Unlock()
	if len(ts) > 0 {
		s.notify()
	}
}

// Flush writes the segments of the timeline that changed, then applies the retention.
// Run calls it every flushInterval, so a burst of transitions is one write.
func (s *Service) Flush(ctx context.Context) error {
	if s.objects == nil {
		return nil
	}
	s.mu.Lock()
	writes := slices.Clone(s.timeline.closing)
	if s.timeline.open.dirty {
		writes = append(writes, s.timeline.open)
	}
	for i := range writes {
		writes[i].transitions = slices.Clone(writes[i].transitions)
	}
	s.mu.Unlock()
	for _, w := range writes {
		data, err := json.Marshal(timelineDoc{Format: timelineFormat, Transitions: w.transitions})
		if err != nil {
			return err
		}
		if err := s.objects.Put(ctx, kindTimeline, segmentName(w.number), data, nil); err != nil {
			return fmt.Errorf("failed to write the host timeline: %w", err)
		}
		s.mu.Lock()
		s.timeline.written(w)
		s.mu.Unlock()
	}
	return s.retain(ctx)
}

// written marks a segment written as it was in w.
func (t *timeline) written(w segment) {
	if w.number == t.open.number {
		t.open.dirty = len(t.open.transitions) != len(w.transitions)
		return
	}
	i := slices.IndexFunc(t.closing, func(c segment) bool { return c.number == w.number })
	if i < 0 || len(t.closing[i].transitions) != len(w.transitions) {
		return // it closed since it was copied: its last write is still to come
	}
	t.closing = slices.Delete(t.closing, i, i+1)
	t.closed = append(t.closed, closedSegment{number: w.number, newest: w.transitions[len(w.transitions)-1].At})
}

// retain removes the closed segments older than Retention, and the oldest beyond
// maxClosed.
func (s *Service) retain(ctx context.Context) error {
	now := s.now()
	s.mu.Lock()
	var drop []closedSegment
	for i, c := range s.timeline.closed {
		if now.Sub(c.newest) > Retention || len(s.timeline.closed)-i > maxClosed {
			drop = append(drop, c)
		}
	}
	s.mu.Unlock()
	var errs []error
	for _, c := range drop {
		if err := s.objects.Delete(ctx, kindTimeline, segmentName(c.number)); err != nil {
			errs = append(errs, err)
			break
		}
		s.mu.Lock()
		s.timeline.closed = slices.DeleteFunc(s.timeline.closed, func(x closedSegment) bool { return x.number == c.number })
		s.timeline.trim(c.newest)
		s.mu.Unlock()
	}
	return errors.Join(errs...)
}

func segmentName(n int) string { return fmt.Sprintf("seg%08d", n) }

// loadTimeline reads the segments back: the highest is the open one.
func (s *Service) loadTimeline(ctx context.Context) error {
	if s.objects == nil {
		return nil
	}
	objs, err := s.objects.List(ctx, kindTimeline)
	if err != nil {
		return fmt.Errorf("failed to read the host timeline: %w", err)
	}
	t := newTimeline()
	for i, o := range objs { // sorted by name, so by number
		n, err := strconv.Atoi(o.Name[len("seg"):])
		var doc timelineDoc
		if err == nil {
			err = json.Unmarshal(o.Data, &doc)
		}
		if err != nil || len(doc.Transitions) == 0 {
			s.log.Warn("skipping a segment of the host timeline that does not read", "segment", o.Name, "err", err)
			continue
		}
		for _, tr := range doc.Transitions {
			t.byNode[tr.Node] = append(t.byNode[tr.Node], tr)
		}
		if i == len(objs)-1 && len(doc.Transitions) < segmentTransitions {
			t.open = segment{number: n, transitions: doc.Transitions}
			continue
		}
		t.closed = append(t.closed, closedSegment{number: n, newest: doc.Transitions[len(doc.Transitions)-1].At})
		t.open = segment{number: n + 1}
	}
	s.mu.Lock()
	s.timeline = t
	s.mu.Unlock()
	return nil
}
