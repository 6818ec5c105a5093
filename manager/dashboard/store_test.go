package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func configCreates(engine *swarmtest.Engine, kind string) int {
	n := 0
	for _, m := range engine.Mutations() {
		if strings.HasPrefix(m, "ConfigCreate") && strings.Contains(m, "exos."+kind+".") {
			n++
		}
	}
	return n
}

func setNodeState(t *testing.T, store *state.Store, id, st string) {
	t.Helper()
	n := *store.NodeByID(nil, id)
	n.State = st
	n.Raw.Meta.Version.Index++
	assert.NilError(t, store.UpsertNodes(&n))
}

func TestTheTimelineSurvivesARestart(t *testing.T) {
	ctx, c, engine := context.Background(), newClock(), swarmtest.NewEngine()
	store := twoEnvs(t, c)
	d := newTestService(t, store, c, persist.New(engine))
	everyone(t, d)
	d.Record()     // every node ready
	for range 10 { // p2 flaps: twenty transitions between two flushes
		c.advance(400 * time.Millisecond)
		setNodeState(t, store, "p2", "down")
		d.Record()
		c.advance(400 * time.Millisecond)
		setNodeState(t, store, "p2", "ready")
		d.Record()
	}
	assert.NilError(t, d.Flush(ctx))
	assert.Check(t, is.Equal(configCreates(engine, kindTimeline), 1), "one write for the batch")
	assert.NilError(t, d.Flush(ctx))
	assert.Check(t, is.Equal(configCreates(engine, kindTimeline), 0), "nothing new, nothing written")

	again := newTestService(t, store, c, persist.New(engine))
	assert.NilError(t, again.Load(ctx))
	detail, err := again.Host(seesAll, "prod-2")
	assert.NilError(t, err)
	assert.Check(t, is.Len(detail.Timeline.Segments, 21))
	assert.Check(t, is.Equal(detail.Timeline.Segments[1].State, api.HostDown))
	again.Record()
	assert.NilError(t, again.Flush(ctx))
	assert.Check(t, is.Equal(configCreates(engine, kindTimeline), 0), "the reloaded states are known: no transition")
	c.advance(api.AgentSilentAfter + time.Second)
	again.Record()
	assert.NilError(t, again.Flush(ctx))
	assert.Check(t, is.Equal(configCreates(engine, kindTimeline), 1), "every agent silent: one write")
	detail, err = again.Host(seesAll, "qa-1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(detail.Timeline.Segments[len(detail.Timeline.Segments)-1].State, api.HostSilent))
}

func TestTheTimelineKeepsThirtyDays(t *testing.T) {
	ctx, c, engine := context.Background(), newClock(), swarmtest.NewEngine()
	store := twoEnvs(t, c)
	d := newTestService(t, store, c, persist.New(engine))
	d.Record()
	for i := range segmentTransitions { // fills segment 1 and closes it
		c.advance(time.Second)
		setNodeState(t, store, "p2", []string{"down", "ready"}[i%2])
		d.Record()
	}
	assert.NilError(t, d.Flush(ctx))
	objs, err := persist.New(engine).List(ctx, kindTimeline)
	assert.NilError(t, err)
	assert.Check(t, is.Len(objs, 2))

	c.advance(Retention + time.Hour)
	setNodeState(t, store, "q1", "down")
	d.Record()
	assert.NilError(t, d.Flush(ctx))
	objs, err = persist.New(engine).List(ctx, kindTimeline)
	assert.NilError(t, err)
	assert.Check(t, is.Len(objs, 1), "the closed segment is past the retention")
	detail, err := d.Host(seesAll, "qa-1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(detail.Timeline.Segments[len(detail.Timeline.Segments)-1].State, api.HostDown))
}

func TestPinsArePerUserAndPersisted(t *testing.T) {
	ctx, c, engine := context.Background(), newClock(), swarmtest.NewEngine()
	store := twoEnvs(t, c)
	d := newTestService(t, store, c, persist.New(engine))
	everyone(t, d)
	got, err := d.SetPins(ctx, "bob", api.DashboardPins{Services: []string{"qa-web_app", "prod-web_app", "qa-web_app"}, Hosts: []string{"s1", "p1"}})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, api.DashboardPins{Services: []string{"qa-web_app", "prod-web_app"}, Hosts: []string{"s1", "p1"}}))
	assert.Check(t, is.DeepEqual(d.Pins("alice"), api.DashboardPins{Services: []string{}, Hosts: []string{}}))
	_, err = d.SetPins(ctx, "bob", api.DashboardPins{Services: make([]string, maxPins+1)})
	assert.NilError(t, err, "empty names are dropped")

	again := newTestService(t, store, c, persist.New(engine))
	assert.NilError(t, again.Load(ctx))
	assert.Check(t, is.DeepEqual(again.Pins("bob"), d.Pins("bob")))

	_, err = again.SetPins(ctx, "bob", api.DashboardPins{Services: []string{"qa-web_app", "prod-web_app"}, Hosts: []string{"s1", "p1"}})
	assert.NilError(t, err)
	everyone(t, again)
	view, err := again.View(seesOnly("qa"), "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(view.Pinned.Services, 1), "prod's service is pinned but not seen")
	assert.Check(t, is.Equal(view.Pinned.Services[0].Running, 2))
	assert.Check(t, is.Equal(view.Pinned.Services[0].CPUPercent, 70.0), "two containers on q1, one on s1")
	assert.Assert(t, is.Len(view.Pinned.Hosts, 1))
	assert.Check(t, is.Equal(view.Pinned.Hosts[0].Hostname, "shared-1"))
}

func TestContainersGoFifteenMinutesAfterTheirLastSample(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	everyone(t, d)
	c.advance(api.HistoryWindow - time.Second)
	assert.NilError(t, d.Ingest(report("q1", 1)))
	d.Record()
	usage, err := d.Usage(seesAll, api.UsageQuery{Stack: "qa-web"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(usage, 3), "gone from their nodes' reports, still in the history")
	c.advance(2 * time.Second)
	d.Record()
	assert.Check(t, is.Len(d.samples.containers, 0))
	usage, err = d.Usage(seesAll, api.UsageQuery{Stack: "qa-web"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(usage, 0))
}
