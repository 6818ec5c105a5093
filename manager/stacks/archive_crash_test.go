package stacks

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// A compaction killed at any of its writes (the merged segment, the removal of the
// segment it replaces, the removal of a revision stored alone) leaves every revision
// readable once, and the next start finishes it.
func TestACompactionInterruptedAtAnyWriteIsFinishedOnStart(t *testing.T) {
	probe := newFixture(t)
	probe.svc.KeepRevisions(3)
	probe.deployN(t, 4) // segment 1 holds revision 1
	probe.engine.Mutations()
	probe.deployN(t, 1)
	calls := probe.engine.Mutations()
	first := len(calls) - 3
	assert.Check(t, is.DeepEqual(calls[first:], []string{
		"ConfigCreate exos.revision-archive.shop.2.1", "ConfigRemove exos.revision-archive.shop.1.1", "ConfigRemove exos.revision.shop.2.1",
	}))
	want, err := probe.svc.History("shop")
	assert.NilError(t, err)

	for n := first + 1; n <= len(calls); n++ {
		f := newFixture(t)
		f.svc.KeepRevisions(3)
		f.deployN(t, 4)
		f.engine.FailAt = f.engine.Writes + n
		f.deployN(t, 1) // the deploy stands; only its compaction stopped
		f.engine.FailAt = 0
		got, err := f.svc.History("shop")
		assert.NilError(t, err)
		assert.Check(t, is.DeepEqual(got, want), "write %d", n)

		g := f.restartKeeping(t, 3)
		got, err = g.svc.History("shop")
		assert.NilError(t, err)
		assert.Check(t, is.DeepEqual(got, want), "write %d, after a restart: each revision once", n)
		assert.Check(t, is.Equal(g.records(kindRevision), 3), "write %d: the start finished the compaction", n)
		assert.Check(t, is.Equal(g.records(kindArchive), 1), "write %d", n)
		for _, number := range []int{1, 2} {
			rev, err := g.svc.Revision("shop", number)
			assert.Check(t, err, "write %d, revision %d", n, number)
			assert.Check(t, is.Equal(rev.Number, number))
		}
	}
}

// Without a restart, the next deploy finishes what a compaction left.
func TestTheNextDeployFinishesAnInterruptedCompaction(t *testing.T) {
	f := newFixture(t)
	f.svc.KeepRevisions(3)
	f.deployN(t, 4)
	f.engine.FailAt = f.engine.Writes + 5 // the removal of segment 1, replaced by segment 2
	f.deployN(t, 1)
	f.engine.FailAt = 0
	assert.Check(t, is.Equal(f.records(kindArchive), 2))
	f.deployN(t, 1)
	assert.Check(t, is.Equal(f.records(kindArchive), 1))
	assert.Check(t, is.Equal(f.records(kindRevision), 3))
}

// configSpy records the config reads EXOS makes.
type configSpy struct {
	*swarmtest.Engine
	lists    []string // the filters of each list
	listed   []string // names of the configs lists returned
	inspects []string
}

func (c *configSpy) ConfigList(ctx context.Context, opts swarm.ConfigListOptions) ([]swarm.Config, error) {
	out, err := c.Engine.ConfigList(ctx, opts)
	c.lists = append(c.lists, strings.Join(append(opts.Filters.Get("label"), opts.Filters.Get("name")...), ","))
	for _, cfg := range out {
		c.listed = append(c.listed, cfg.Spec.Name)
	}
	return out, err
}

func (c *configSpy) ConfigInspectWithRaw(ctx context.Context, ref string) (swarm.Config, []byte, error) {
	c.inspects = append(c.inspects, ref)
	return c.Engine.ConfigInspectWithRaw(ctx, ref)
}

func (c *configSpy) reset() { c.lists, c.listed, c.inspects = nil, nil, nil }

func newSpiedFixture() (*fixture, *configSpy) {
	spy := &configSpy{Engine: swarmtest.NewEngine()}
	store := state.New()
	now := func() time.Time { return time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC) }
	svc := New(store, persist.New(spy), exswarm.NewDeployer(spy), now, slog.New(slog.DiscardHandler))
	return &fixture{svc: svc, store: store, engine: spy.Engine}, spy
}

// No deploy of any kind lists the swarm's configs unfiltered, nor lists a stored
// revision or a segment: their bodies never travel for a deploy, however long the
// history. An archived body is read with one inspect of its segment.
func TestNoDeployListsTheHistory(t *testing.T) {
	ctx := context.Background()
	f, spy := newSpiedFixture()
	f.svc.KeepRevisions(2)
	f.deployN(t, 6)
	_, err := f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: "exos/busybox:2"}, "ci", "")
	assert.NilError(t, err)
	_, err = f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.NilError(t, err)
	f.syncIndex(t)
	_, err = f.svc.Remove(ctx, "shop")
	assert.NilError(t, err)
	f.deployN(t, 1)
	_, err = f.svc.Diff(ctx, "shop", 2, 3)
	assert.NilError(t, err)
	assert.Check(t, f.records(kindArchive) > 0, "the history was compacted")
	for i, filter := range spy.lists {
		assert.Check(t, filter != "", "list %d is unfiltered", i)
	}
	for _, name := range spy.listed {
		assert.Check(t, !strings.HasPrefix(name, "exos.revision"), "a deploy listed %s", name)
	}

	spy.reset()
	rev, err := f.svc.Revision("shop", 3)
	assert.NilError(t, err)
	assert.Check(t, is.Contains(rev.ComposeFiles[0].Content, "sleep 3603"))
	assert.Check(t, is.Len(spy.lists, 0))
	assert.Check(t, is.DeepEqual(spy.inspects, []string{"exos.revision-archive.shop." + segmentSeq(f, 3) + ".1"}))
}

func segmentSeq(f *fixture, n int) string {
	seq, _ := f.svc.segmentOf("shop", n)
	return strings.TrimPrefix(segmentName("", seq), ".")
}
