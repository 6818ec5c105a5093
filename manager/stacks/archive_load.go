package stacks

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// archivedReadTimeout bounds the read of an archived body, which the index's readers
// (they take no context) wait for.
const archivedReadTimeout = 30 * time.Second

// loadArchives reads every segment into the index, metadata only, and returns the
// revision numbers they hold by stack. A segment whose revisions a newer one of the
// same stack all holds is what a compaction killed before its removal left: a leftover.
func (s *Service) loadArchives(ctx context.Context) (map[string]map[int]bool, error) {
	objs, err := s.objects.List(ctx, kindArchive)
	if err != nil {
		return nil, err
	}
	byStack := map[string][]loadedSegment{}
	for _, o := range objs {
		seg, err := decodeSegment(o)
		if err != nil {
			return nil, err
		}
		byStack[seg.stack] = append(byStack[seg.stack], seg)
	}
	held := map[string]map[int]bool{}
	for stack, segs := range byStack {
		held[stack] = map[int]bool{}
		if err := s.loadStackArchive(stack, segs, held[stack]); err != nil {
			return nil, err
		}
	}
	return held, nil
}

type loadedSegment struct {
	stack string
	seq   int
	doc   persist.RevisionArchive
}

func decodeSegment(o persist.Object) (loadedSegment, error) {
	stack, n, _ := strings.Cut(o.Name, ".")
	seq, err := strconv.Atoi(n)
	if err != nil {
		return loadedSegment{}, fmt.Errorf("revision archive %q: the name is not <stack>.<number>", o.Name)
	}
	doc, err := persist.DecodeArchive(o.Data)
	if err != nil {
		return loadedSegment{}, fmt.Errorf("failed to decode revision archive %s: %w", o.Name, err)
	}
	return loadedSegment{stack: stack, seq: seq, doc: doc}, nil
}

// loadStackArchive indexes one stack's segments, newest first, so that a revision held
// twice is indexed once.
func (s *Service) loadStackArchive(stack string, segs []loadedSegment, held map[int]bool) error {
	slices.SortFunc(segs, func(a, b loadedSegment) int { return b.seq - a.seq })
	a := &archive{last: segs[0].seq}
	for _, ls := range segs {
		seg := segment{seq: ls.seq}
		stale := true
		for _, e := range ls.doc.Revisions {
			seg.numbers = append(seg.numbers, e.Number)
			seg.size += entrySize(e)
			if held[e.Number] {
				continue
			}
			stale = false
			held[e.Number] = true
			rec, err := archivedRecord(e)
			if err != nil {
				return fmt.Errorf("revision archive %s of stack %s: %w", segmentName(stack, ls.seq), stack, err)
			}
			if err := s.store.UpsertRevisions(rec); err != nil {
				return err
			}
		}
		if stale {
			a.leftovers = append(a.leftovers, object{kindArchive, segmentName(stack, ls.seq)})
			continue
		}
		slices.Sort(seg.numbers)
		a.segments = append([]segment{seg}, a.segments...)
	}
	s.mu.Lock()
	s.archives[stack] = a
	s.mu.Unlock()
	return nil
}

// archivedRecord is the index's record of an archived revision: its metadata and state,
// without its body.
func archivedRecord(e persist.ArchivedRevision) (*state.Revision, error) {
	doc, err := persist.DecodeRevision(e.Document)
	if err != nil {
		return nil, err
	}
	rec := revisionRecord(fromDoc(doc), nil)
	rec.State, rec.Failure, rec.Reason, rec.Compensated = e.State, e.Failure, e.Reason, e.Compensated
	return rec, nil
}

// document is the stored document of a revision: from the index, or from its segment.
func (s *Service) document(r *state.Revision) ([]byte, error) {
	if r.Data != nil {
		return r.Data, nil
	}
	// A compaction may replace the segment between finding it and reading it: then the
	// next look finds its successor.
	for range 2 {
		seq, ok := s.segmentOf(r.Stack, r.Number)
		if !ok {
			break
		}
		ctx, cancel := context.WithTimeout(context.Background(), archivedReadTimeout)
		doc, err := s.readSegment(ctx, r.Stack, seq)
		cancel()
		if cerrdefs.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range doc.Revisions {
			if e.Number == r.Number {
				return e.Document, nil
			}
		}
	}
	return nil, fmt.Errorf("revision %d of stack %s is archived, but no archive segment holds it", r.Number, r.Stack)
}

// segmentOf is the seq of the segment that holds revision n of stack.
func (s *Service) segmentOf(stack string, n int) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.archives[stack]
	if !ok {
		return 0, false
	}
	for i := len(a.segments) - 1; i >= 0; i-- {
		if _, found := slices.BinarySearch(a.segments[i].numbers, n); found {
			return a.segments[i].seq, true
		}
	}
	return 0, false
}

// readSegment fetches one segment by its name: one inspect, no list.
func (s *Service) readSegment(ctx context.Context, stack string, seq int) (persist.RevisionArchive, error) {
	obj, err := s.objects.Get(ctx, kindArchive, segmentName(stack, seq))
	if err != nil {
		return persist.RevisionArchive{}, err
	}
	doc, err := persist.DecodeArchive(obj.Data)
	if err != nil {
		return persist.RevisionArchive{}, fmt.Errorf("failed to decode revision archive %s: %w", obj.Name, err)
	}
	return doc, nil
}
