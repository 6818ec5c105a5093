package hooks

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"
)

const (
	// SegmentSize records per config: about 15 KB gzipped, far below Swarm's 500 KB.
	SegmentSize = 500
	// keptSegments bounds a history to its last 10,000 records.
	keptSegments = 20
)

// History records what deliveries to hooks led to (a scale decision, a deploy), T being
// the record: in memory for reads, and in the swarm in segments written behind (Run) so a
// flood of duplicate deliveries costs no Engine call each. A crash loses at most the last
// second of records; a kind that must lose none also writes what it did where it did it
// (the scaler on the service, a deploy in the stack's revision).
type History[T any] struct {
	objects Objects
	log     *slog.Logger
	kind    string // labels the configs holding the segments
	what    string // names the history in errors and logs

	mu      sync.Mutex
	records []T // oldest first; the last segN form the open segment
	segment int // number of the open segment
	segN    int // records in the open segment
	dirty   bool
	// dirtied wakes Run when records wait to be written: an idle manager has nothing to
	// write and no reason to wake.
	dirtied chan struct{}
	// pendingFrom is the oldest segment with records not yet written.
	pendingFrom int
}

// NewHistory returns an empty history kept in configs of kind, named what in errors and
// logs ("the scaling history"); Load fills it from the swarm.
func NewHistory[T any](objects Objects, log *slog.Logger, kind, what string) *History[T] {
	return &History[T]{objects: objects, log: log, kind: kind, what: what, segment: 1, dirtied: make(chan struct{}, 1)}
}

// Load reads the stored segments.
func (h *History[T]) Load(ctx context.Context) error {
	objs, err := h.objects.List(ctx, h.kind)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", h.what, err)
	}
	sort.Slice(objs, func(i, j int) bool { return segmentNumber(objs[i].Name) < segmentNumber(objs[j].Name) })
	var records []T
	segment, segN := 1, 0
	for _, o := range objs {
		var seg []T
		if err := json.Unmarshal(o.Data, &seg); err != nil {
			return fmt.Errorf("%s: segment %s is corrupt: %w", h.what, o.Name, err)
		}
		records = append(records, seg...)
		segment, segN = segmentNumber(o.Name), len(seg)
	}
	if segN >= SegmentSize {
		segment, segN = segment+1, 0
	}
	h.mu.Lock()
	h.records, h.segment, h.segN = records, segment, segN
	h.mu.Unlock()
	return nil
}

// Add records d.
func (h *History[T]) Add(d T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.segN == SegmentSize {
		h.segment, h.segN = h.segment+1, 0
	}
	if !h.dirty {
		h.pendingFrom, h.dirty = h.segment, true
		h.wakeRun()
	}
	h.records = append(h.records, d)
	h.segN++
	if limit := keptSegments * SegmentSize; len(h.records) > limit+SegmentSize {
		h.records = append([]T(nil), h.records[len(h.records)-limit:]...)
	}
}

// List returns the records keep keeps, oldest first.
func (h *History[T]) List(keep func(T) bool) []T {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []T{}
	for _, r := range h.records {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// Run writes what is new interval after the first record of it (those that follow
// within interval go in the same write, a failed write is tried again interval later),
// until ctx ends, then once more.
func (h *History[T]) Run(ctx context.Context, interval time.Duration) {
	wait := time.NewTimer(interval)
	defer wait.Stop()
	for {
		select {
		case <-ctx.Done():
			h.finalFlush()
			return
		case <-h.dirtied:
		}
		wait.Reset(interval)
		select {
		case <-ctx.Done():
			h.finalFlush()
			return
		case <-wait.C:
		}
		if err := h.Flush(ctx); err != nil {
			h.log.Warn("cannot write "+h.what+"; will retry", "err", err)
		}
	}
}

func (h *History[T]) finalFlush() {
	flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = h.Flush(flush)
}

// wakeRun tells Run there is something to write. Callers hold h.mu.
func (h *History[T]) wakeRun() {
	select {
	case h.dirtied <- struct{}{}:
	default:
	}
}

// Flush writes the open segment (and any segment closed since the last flush) and drops
// segments beyond the retention.
func (h *History[T]) Flush(ctx context.Context) error {
	h.mu.Lock()
	if !h.dirty {
		h.mu.Unlock()
		return nil
	}
	segments := h.unflushedSegments()
	h.dirty = false
	h.mu.Unlock()
	for _, s := range segments {
		data, err := json.Marshal(s.records)
		if err != nil {
			return err
		}
		if err := h.objects.Put(ctx, h.kind, segmentName(s.number), data, nil); err != nil {
			h.markDirty(s.number)
			return err
		}
	}
	last := segments[len(segments)-1].number
	if old := last - keptSegments; old >= 1 {
		if err := h.objects.Delete(ctx, h.kind, segmentName(old)); err != nil {
			h.log.Debug("cannot drop an old segment of "+h.what, "segment", old, "err", err)
		}
	}
	return nil
}

type segment[T any] struct {
	number  int
	records []T
}

// unflushedSegments returns copies of the segments from pendingFrom to the open one.
// Every segment before the open one is full. Callers hold h.mu.
func (h *History[T]) unflushedSegments() []segment[T] {
	var out []segment[T]
	end := len(h.records) - h.segN
	for k := h.segment - 1; k >= h.pendingFrom && end-SegmentSize >= 0; k-- {
		out = append([]segment[T]{{number: k, records: clone(h.records[end-SegmentSize : end])}}, out...)
		end -= SegmentSize
	}
	return append(out, segment[T]{number: h.segment, records: clone(h.records[len(h.records)-h.segN:])})
}

// markDirty makes the next flush write again from segment `from`.
func (h *History[T]) markDirty(from int) {
	h.mu.Lock()
	if !h.dirty || from < h.pendingFrom {
		h.pendingFrom = from
	}
	h.dirty = true
	h.wakeRun()
	h.mu.Unlock()
}

func clone[T any](records []T) []T {
	return append([]T(nil), records...)
}

func segmentName(n int) string { return fmt.Sprintf("%08d", n) }

func segmentNumber(name string) int {
	n, _ := strconv.Atoi(name)
	return n
}
