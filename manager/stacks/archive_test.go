package stacks

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

func TestArchivableKeepsTheNewestPendingCurrentAndLatestApplied(t *testing.T) {
	body := []byte("{}")
	rev := func(n int, st, failure string) *state.Revision {
		return &state.Revision{Stack: "shop", Number: n, State: st, Failure: failure, Data: body}
	}
	archived := func(n int) *state.Revision {
		return &state.Revision{Stack: "shop", Number: n, State: api.RevisionApplied}
	}
	applied, pending, failed := api.RevisionApplied, api.RevisionPending, api.RevisionFailed
	for name, tc := range map[string]struct {
		revs []*state.Revision // newest first
		keep int
		want []int
	}{
		"under the limit": {[]*state.Revision{rev(2, applied, ""), rev(1, applied, "")}, 2, nil},
		"beyond the limit, oldest first": {
			[]*state.Revision{rev(5, applied, ""), rev(4, applied, ""), rev(3, applied, ""), rev(2, applied, ""), rev(1, applied, "")}, 2, []int{1, 2, 3},
		},
		"already archived ones are skipped": {
			[]*state.Revision{rev(4, applied, ""), rev(3, applied, ""), archived(2), archived(1)}, 1, []int{3},
		},
		"the current revision stays, older than the kept ones": {
			// 4 and 3 failed to apply: 2 is what the swarm runs.
			[]*state.Revision{rev(4, failed, failureApply), rev(3, failed, failureApply), rev(2, applied, ""), rev(1, applied, "")}, 2, []int{1},
		},
		"a revision Swarm rolled back is current; the applied one before it is set-image's base": {
			[]*state.Revision{rev(5, failed, failureApply), rev(4, failed, failureRollout), rev(3, applied, ""), rev(2, applied, ""), rev(1, applied, "")}, 1, []int{1, 2},
		},
		"a pending revision stays": {
			[]*state.Revision{rev(3, applied, ""), rev(2, pending, ""), rev(1, applied, "")}, 1, []int{1},
		},
	} {
		t.Run(name, func(t *testing.T) {
			var got []int
			for _, r := range archivable(tc.revs, tc.keep) {
				got = append(got, r.Number)
			}
			assert.Check(t, is.DeepEqual(got, tc.want))
		})
	}
}

func TestPlanSegmentsFillsTheOpenOneFirst(t *testing.T) {
	for name, tc := range map[string]struct {
		open  int
		sizes []int
		join  int
		fresh []int
	}{
		"no open segment":            {-1, []int{10, 10}, 0, []int{2}},
		"the open one takes them":    {50, []int{20, 30}, 2, nil},
		"then a new one":             {50, []int{20, 40, 40}, 1, []int{2}},
		"a full open one takes none": {100, []int{1}, 0, []int{1}},
		"new ones split at budget":   {-1, []int{60, 60, 60}, 0, []int{1, 1, 1}},
		"a big one gets its own":     {-1, []int{10, 500, 10}, 0, []int{1, 1, 1}},
		"nothing to archive":         {10, nil, 0, nil},
	} {
		t.Run(name, func(t *testing.T) {
			join, fresh := planSegments(tc.open, tc.sizes, 100)
			assert.Check(t, is.Equal(join, tc.join))
			assert.Check(t, is.DeepEqual(fresh, tc.fresh))
		})
	}
}

// deployN deploys n revisions of stack shop, each with another command.
func (f *fixture) deployN(t *testing.T, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		f.deploy(t, "shop", strings.Replace(webCompose, "3600", strconv.Itoa(3600+i), 1))
	}
}

// records counts the swarm's configs of kind.
func (f *fixture) records(kind string) int {
	n := 0
	for _, c := range f.engine.Configs {
		if c.Spec.Labels[persist.LabelKind] == kind {
			n++
		}
	}
	return n
}

// restartKeeping is restart with a manager that keeps keep revision bodies per stack.
func (f *fixture) restartKeeping(t *testing.T, keep int) *fixture {
	t.Helper()
	g := newFixtureOn(f.engine)
	g.svc.KeepRevisions(keep)
	assert.NilError(t, g.svc.Load(context.Background()))
	g.syncIndex(t)
	assert.NilError(t, g.svc.Recover(context.Background()))
	g.syncIndex(t)
	return g
}

func keptBodies(store *state.Store, stack string) (kept []int) {
	for _, r := range store.RevisionsByStack(nil, stack) {
		if r.Data != nil {
			kept = append(kept, r.Number)
		}
	}
	return kept
}

func TestOldRevisionsAreArchivedAndStillRead(t *testing.T) {
	f := newFixture(t)
	f.svc.KeepRevisions(3)
	f.deployN(t, 8)

	assert.Check(t, is.Equal(f.records(kindRevision), 3), "only the kept revisions are stored alone")
	assert.Check(t, is.Equal(f.records(kindArchive), 1), "the others fill one segment")
	assert.Check(t, is.DeepEqual(keptBodies(f.store, "shop"), []int{8, 7, 6}), "the index holds no archived body")
	history, err := f.svc.History("shop")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(history, 8))
	assert.Check(t, is.Equal(history[7].Number, 1))
	assert.Check(t, is.Equal(history[7].State, api.RevisionSuperseded))
	assert.Check(t, is.Equal(history[7].Author, "admin"))
	assert.Check(t, is.DeepEqual(history[7].Images, map[string]string{"web": "exos/busybox:1"}))

	f.engine.Mutations()
	rev, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Contains(rev.ComposeFiles[0].Content, "sleep 3602"))
	assert.Check(t, is.Equal(rev.State, api.RevisionSuperseded))
	diff, err := f.svc.Diff(context.Background(), "shop", 1, 2)
	assert.NilError(t, err)
	assert.Check(t, is.Contains(diff.Files[0].Diff, "+    command: sleep 3602"))

	_, err = f.svc.Rollback(context.Background(), "shop", 2, "admin", "")
	assert.NilError(t, err)
	for _, svc := range f.engine.Services {
		assert.Check(t, is.DeepEqual(svc.Spec.TaskTemplate.ContainerSpec.Args, []string{"sleep", "3602"}))
	}
	assert.Check(t, is.Equal(f.records(kindRevision), 3))
	assert.Check(t, is.Equal(f.records(kindArchive), 1), "the open segment was rewritten, the old one removed")

	before, err := f.svc.History("shop")
	assert.NilError(t, err)
	g := f.restartKeeping(t, 3)
	after, err := g.svc.History("shop")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(after, before), "a restart reads the same history")
	assert.Check(t, is.DeepEqual(keptBodies(g.store, "shop"), []int{9, 8, 7}))
	rev, err = g.svc.Revision("shop", 5)
	assert.NilError(t, err)
	assert.Check(t, is.Contains(rev.ComposeFiles[0].Content, "sleep 3605"))
}

// A deploy compacts once a batch of revisions is archivable, not after every deploy.
func TestDeploysCompactInBatches(t *testing.T) {
	f := newFixture(t)
	f.svc.KeepRevisions(10) // batches of 2
	f.deployN(t, 11)
	assert.Check(t, is.Equal(f.records(kindArchive), 0), "one archivable revision waits")
	f.deployN(t, 1)
	assert.Check(t, is.Equal(f.records(kindArchive), 1))
	assert.Check(t, is.Equal(f.records(kindRevision), 10))
}

// A manager that starts with more revisions than it keeps (an upgrade, a lower limit)
// compacts them on start.
func TestStartCompactsAStackOverTheLimit(t *testing.T) {
	f := newFixture(t)
	f.deployN(t, 6)
	assert.Check(t, is.Equal(f.records(kindArchive), 0))
	before, err := f.svc.History("shop")
	assert.NilError(t, err)

	g := f.restartKeeping(t, 2)
	assert.Check(t, is.Equal(g.records(kindRevision), 2))
	assert.Check(t, is.Equal(g.records(kindArchive), 1))
	after, err := g.svc.History("shop")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(after, before))
}

// A removal's record lives only while the removal may have work left: a finished one,
// one a deploy superseded and one an older manager kept are gone, and the numbering
// continues from the history.
func TestRemovalRecordsArePrunedOnceTheyTellNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.deploy(t, "shop", webCompose)
	f.syncIndex(t)
	_, err := f.svc.Remove(ctx, "shop")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(f.records(kindRemoved), 0), "a finished removal leaves no record")
	assert.Check(t, is.Equal(f.deploy(t, "shop", webCompose).Revision, 2), "the numbering goes on")

	// A removal that could not be finished, then a deploy: a restart must not remove the stack.
	assert.NilError(t, f.svc.recordRemoval(ctx, "shop", removal{Revision: 2, Pending: true}))
	f.deploy(t, "shop", webCompose)
	assert.Check(t, is.Equal(f.records(kindRemoved), 0))
	g := f.restart(t)
	assert.Check(t, is.Len(g.engine.Services, 1))

	// What an older manager recorded of a finished removal goes on the next start.
	assert.NilError(t, g.svc.recordRemoval(ctx, "shop", removal{Revision: 3}))
	h := g.restart(t)
	assert.Check(t, is.Equal(h.records(kindRemoved), 0))
	assert.Check(t, is.Len(h.engine.Services, 1))
}
