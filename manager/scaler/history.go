package scaler

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

const (
	// kindScaleLog labels the configs holding the decision history, in segments.
	kindScaleLog = "scale-log"
	// segmentSize decisions per config: about 15 KB gzipped, far below Swarm's 500 KB.
	segmentSize = 500
	// keptSegments bounds the history to the last 10,000 decisions.
	keptSegments = 20
)

// History records every decision: in memory for reads, and in the swarm in segments
// written behind (Run) so a flood of duplicate deliveries costs no Engine call each. A
// crash loses at most the last second of decisions; applied steps are never lost, as
// each is also written on its service (see Scaler.recoverSteps).
type History struct {
	objects Objects
	log     *slog.Logger

	mu      sync.Mutex
	records []api.ScaleDecision // oldest first; the last segCount form the open segment
	segment int                 // number of the open segment
	segN    int                 // records in the open segment
	dirty   bool
	// pendingFrom is the oldest segment with records not yet written.
	pendingFrom int
}

// NewHistory returns an empty history; Load fills it from the swarm.
func NewHistory(objects Objects, log *slog.Logger) *History {
	return &History{objects: objects, log: log, segment: 1}
}

// Load reads the stored segments.
func (h *History) Load(ctx context.Context) error {
	objs, err := h.objects.List(ctx, kindScaleLog)
	if err != nil {
		return fmt.Errorf("failed to read the scaling history: %w", err)
	}
	sort.Slice(objs, func(i, j int) bool { return segmentNumber(objs[i].Name) < segmentNumber(objs[j].Name) })
	var records []api.ScaleDecision
	segment, segN := 1, 0
	for _, o := range objs {
		var seg []api.ScaleDecision
		if err := json.Unmarshal(o.Data, &seg); err != nil {
			return fmt.Errorf("scaling history segment %s is corrupt: %w", o.Name, err)
		}
		records = append(records, seg...)
		segment, segN = segmentNumber(o.Name), len(seg)
	}
	if segN >= segmentSize {
		segment, segN = segment+1, 0
	}
	h.mu.Lock()
	h.records, h.segment, h.segN = records, segment, segN
	h.mu.Unlock()
	return nil
}

// Add records a decision.
func (h *History) Add(d api.ScaleDecision) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.segN == segmentSize {
		h.segment, h.segN = h.segment+1, 0
	}
	if !h.dirty {
		h.pendingFrom, h.dirty = h.segment, true
	}
	h.records = append(h.records, d)
	h.segN++
	if limit := keptSegments * segmentSize; len(h.records) > limit+segmentSize {
		h.records = append([]api.ScaleDecision(nil), h.records[len(h.records)-limit:]...)
	}
}

// List returns the decisions for a hook and/or a stack ("" matches all), oldest first.
func (h *History) List(hook, stack string) []api.ScaleDecision {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []api.ScaleDecision{}
	for _, r := range h.records {
		if (hook == "" || r.Hook == hook) && (stack == "" || r.Stack == stack) {
			out = append(out, r)
		}
	}
	return out
}

// Run writes the open segment every interval while there is something new, until ctx
// ends, then once more.
func (h *History) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = h.Flush(flush)
			cancel()
			return
		case <-t.C:
			if err := h.Flush(ctx); err != nil {
				h.log.Warn("cannot write the scaling history; will retry", "err", err)
			}
		}
	}
}

// Flush writes the open segment (and any segment closed since the last flush) and drops
// segments beyond the retention.
func (h *History) Flush(ctx context.Context) error {
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
		if err := h.objects.Put(ctx, kindScaleLog, segmentName(s.number), data, nil); err != nil {
			h.markDirty(s.number)
			return err
		}
	}
	last := segments[len(segments)-1].number
	if old := last - keptSegments; old >= 1 {
		if err := h.objects.Delete(ctx, kindScaleLog, segmentName(old)); err != nil {
			h.log.Debug("cannot drop an old scaling history segment", "segment", old, "err", err)
		}
	}
	return nil
}

type segment struct {
	number  int
	records []api.ScaleDecision
}

// unflushedSegments returns copies of the segments from pendingFrom to the open one.
// Every segment before the open one is full. Callers hold h.mu.
func (h *History) unflushedSegments() []segment {
	var out []segment
	end := len(h.records) - h.segN
	for k := h.segment - 1; k >= h.pendingFrom && end-segmentSize >= 0; k-- {
		out = append([]segment{{number: k, records: clone(h.records[end-segmentSize : end])}}, out...)
		end -= segmentSize
	}
	return append(out, segment{number: h.segment, records: clone(h.records[len(h.records)-h.segN:])})
}

// markDirty makes the next flush write again from segment `from`.
func (h *History) markDirty(from int) {
	h.mu.Lock()
	if !h.dirty || from < h.pendingFrom {
		h.pendingFrom = from
	}
	h.dirty = true
	h.mu.Unlock()
}

func clone(records []api.ScaleDecision) []api.ScaleDecision {
	return append([]api.ScaleDecision(nil), records...)
}

func segmentName(n int) string { return fmt.Sprintf("%08d", n) }

func segmentNumber(name string) int {
	n, _ := strconv.Atoi(name)
	return n
}
