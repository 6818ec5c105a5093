package stacks

import (
	"slices"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// What a compaction archives, and in which segments: pure functions of the index.

// compactBatch is how many archivable revisions a deploy lets accumulate before it
// compacts them: a fifth of the kept ones, within 1 and maxCompactBatch.
func compactBatch(keep int) int { return min(max(1, keep/5), maxCompactBatch) }

// archivable are the revisions of a stack (newest first, as the index lists them) whose
// bodies are to be archived, oldest first: those beyond the newest keep ones, stored
// alone, and neither pending (Recover may still apply it), current (drift converts it)
// nor the latest applied one (set-image builds on it).
func archivable(revs []*state.Revision, keep int) []*state.Revision {
	current := currentRevision(revs)
	applied := slices.IndexFunc(revs, func(r *state.Revision) bool { return r.State == api.RevisionApplied })
	var out []*state.Revision
	for i := len(revs) - 1; i >= keep; i-- {
		r := revs[i]
		if r.Data == nil || r.State == api.RevisionPending || r == current || i == applied {
			continue
		}
		out = append(out, r)
	}
	return out
}

// planSegments splits the revisions to archive (their sizes, oldest first) into
// segments: the first ones join the open segment (of openSize bytes; negative for none)
// while it has room, the others fill new segments up to budget. A revision bigger than
// budget gets a segment of its own.
func planSegments(openSize int, sizes []int, budget int) (join int, fresh []int) {
	used := openSize
	for join < len(sizes) && openSize >= 0 && used+sizes[join] <= budget {
		used += sizes[join]
		join++
	}
	used, n := 0, 0
	for _, size := range sizes[join:] {
		if n > 0 && used+size > budget {
			fresh = append(fresh, n)
			used, n = 0, 0
		}
		used += size
		n++
	}
	if n > 0 {
		fresh = append(fresh, n)
	}
	return join, fresh
}

func archivedEntry(r *state.Revision) persist.ArchivedRevision {
	return persist.ArchivedRevision{
		Number: r.Number, Document: r.Data, State: r.State, Failure: r.Failure, Reason: r.Reason, Compensated: r.Compensated,
	}
}

// entrySize is about what an entry adds to a segment's JSON.
func entrySize(e persist.ArchivedRevision) int {
	n := len(e.Document) + len(e.State) + len(e.Failure) + len(e.Reason) + 64
	for _, c := range e.Compensated {
		n += len(c) + 3
	}
	return n
}
