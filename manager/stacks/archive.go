package stacks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// A stack keeps the bodies of its newest revisions as configs of their own (their
// state in labels), and compacts older ones into archive segments: configs of kind
// kindArchive named "<stack>.<seq>", seq growing with every segment written, each
// holding whole revision documents with their states. So the swarm holds a bounded
// number of revision configs per stack, the index the bodies of the kept ones only,
// and nothing ever lists the segments but the manager's start: an archived body is read
// by inspecting its one segment.
const kindArchive = "revision-archive"

// DefaultKeptRevisions is how many revision bodies a stack keeps outside its archive.
const DefaultKeptRevisions = api.DefaultKeptRevisions

// maxCompactBatch bounds how many revisions beyond the kept ones wait for a compaction:
// compacting in batches rewrites the open segment once per batch, not once per deploy.
const maxCompactBatch = 10

// segmentBudget is how many bytes of JSON (documents and states) a segment holds at
// most. Stored gzip-compressed, even incompressible content stays well under the size
// Swarm accepts for a config (500 KiB in the swarmkit of Docker 20.10, 1000 KiB in
// later ones; persist refuses more than 500 KiB), and a read of one archived revision
// fetches no more than that.
const segmentBudget = 256 << 10

// segment is what the manager remembers of an archive segment: no bodies.
type segment struct {
	seq     int
	numbers []int // sorted
	size    int   // bytes of its entries, for packing
}

// archive is a stack's segments and what a crash left to remove.
type archive struct {
	segments []segment // by seq
	last     int       // the highest seq seen or tried: a new segment takes the next one
	// leftovers are objects whose content a segment holds too: revisions stored alone
	// and segments a newer one contains, left behind by a compaction a crash interrupted.
	leftovers []object
}

type object struct{ kind, name string }

func segmentName(stack string, seq int) string { return stack + "." + strconv.Itoa(seq) }

// KeepRevisions sets how many revision bodies each stack keeps outside its archive
// (at least 1).
func (s *Service) KeepRevisions(n int) { s.keep = max(1, n) }

// compactLogged compacts the stack's history after a deploy, which it never fails: a
// compaction that stops half-way leaves a readable history and is finished next time.
func (s *Service) compactLogged(ctx context.Context, stack string, batch int) {
	if err := s.compact(context.WithoutCancel(ctx), stack, batch); err != nil {
		s.log.Warn("cannot compact the stack's revision history; it is tried again after the next deploy", "stack", stack, "err", err)
	}
}

// compact archives the stack's archivable revisions once there are batch of them. The
// caller holds the stack's lock. Segments are written first, then what they replace is
// removed: killed in between, the manager finds every revision (twice, the same) on start.
func (s *Service) compact(ctx context.Context, stack string, batch int) error {
	if err := s.removeLeftovers(ctx, stack); err != nil {
		return err
	}
	revs := archivable(s.store.RevisionsByStack(nil, stack), s.keep)
	if len(revs) == 0 || len(revs) < batch {
		return nil
	}
	entries := make([]persist.ArchivedRevision, len(revs))
	sizes := make([]int, len(revs))
	for i, r := range revs {
		entries[i] = archivedEntry(r)
		sizes[i] = entrySize(entries[i])
	}
	open, hasOpen := s.openSegment(stack)
	openSize := -1
	if hasOpen {
		openSize = open.size
	}
	join, fresh := planSegments(openSize, sizes, segmentBudget)
	if join > 0 {
		old, err := s.readSegment(ctx, stack, open.seq)
		if err != nil {
			return err
		}
		if err := s.writeSegment(ctx, stack, append(old.Revisions, entries[:join]...), revs[:join], &open); err != nil {
			return err
		}
	}
	pos := join
	for _, n := range fresh {
		if err := s.writeSegment(ctx, stack, entries[pos:pos+n], revs[pos:pos+n], nil); err != nil {
			return err
		}
		pos += n
	}
	return s.removeLeftovers(ctx, stack)
}

// writeSegment stores a segment of entries, then remembers it (in place of replaces, the
// open segment it contains), drops the bodies of archived from the index and notes the
// configs it makes redundant as leftovers.
func (s *Service) writeSegment(ctx context.Context, stack string, entries []persist.ArchivedRevision, archived []*state.Revision, replaces *segment) error {
	doc, err := persist.EncodeArchive(persist.RevisionArchive{Stack: stack, Revisions: entries})
	if err != nil {
		return err
	}
	seq := s.nextSegment(stack)
	if err := s.objects.Create(ctx, kindArchive, segmentName(stack, seq), doc, map[string]string{labelStack: stack}); err != nil {
		return fmt.Errorf("failed to archive revisions of stack %s: %w", stack, err)
	}
	seg := segment{seq: seq}
	for _, e := range entries {
		seg.numbers = append(seg.numbers, e.Number)
		seg.size += entrySize(e)
	}
	slices.Sort(seg.numbers)
	s.mu.Lock()
	a := s.archiveOf(stack)
	if replaces != nil {
		a.segments = slices.DeleteFunc(a.segments, func(g segment) bool { return g.seq == replaces.seq })
	}
	a.segments = append(a.segments, seg)
	if replaces != nil {
		a.leftovers = append(a.leftovers, object{kindArchive, segmentName(stack, replaces.seq)})
	}
	for _, r := range archived {
		a.leftovers = append(a.leftovers, object{kindRevision, revisionName(stack, r.Number)})
	}
	s.mu.Unlock()
	// Only now that a segment is known to hold them may the index forget the bodies.
	records := make([]*state.Revision, 0, len(archived))
	for _, r := range archived {
		c := *r
		c.Data = nil
		records = append(records, &c)
	}
	return s.store.UpsertRevisions(records...)
}

// removeLeftovers removes what a segment holds too; what cannot be removed now stays a
// leftover, removed by the next compaction.
func (s *Service) removeLeftovers(ctx context.Context, stack string) error {
	s.mu.Lock()
	a := s.archiveOf(stack)
	todo := a.leftovers
	a.leftovers = nil
	s.mu.Unlock()
	var errs []error
	var failed []object
	for _, o := range todo {
		if err := s.objects.Remove(ctx, o.kind, o.name); err != nil {
			errs = append(errs, err)
			failed = append(failed, o)
		}
	}
	s.addLeftovers(stack, failed)
	return errors.Join(errs...)
}

func (s *Service) addLeftovers(stack string, objs []object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.archiveOf(stack)
	a.leftovers = append(a.leftovers, objs...)
}

// archiveOf is the stack's archive, made on first use; the caller holds s.mu.
func (s *Service) archiveOf(stack string) *archive {
	a, ok := s.archives[stack]
	if !ok {
		a = &archive{}
		s.archives[stack] = a
	}
	return a
}

// openSegment is the stack's newest segment, which a compaction fills before it starts
// another.
func (s *Service) openSegment(stack string) (segment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.archiveOf(stack)
	if len(a.segments) == 0 {
		return segment{}, false
	}
	return a.segments[len(a.segments)-1], true
}

func (s *Service) nextSegment(stack string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.archiveOf(stack)
	a.last++ // taken even if the write fails: a retry never meets a half-known name
	return a.last
}
