package dashboard

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestIngestRefusesUnknownNodes(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	err := d.Ingest(report("nobody", 1))
	assert.Check(t, is.ErrorIs(err, ErrUnknownNode))
	assert.Check(t, is.ErrorIs(err, api.ErrForbidden))
	assert.NilError(t, d.Ingest(report("q1", 1, "qa-web_app")))
	huge := report("q1", 1)
	huge.Containers = make([]api.ContainerSample, maxPerReport+1)
	assert.Check(t, is.ErrorIs(d.Ingest(huge), api.ErrInvalid), "memory stays bounded whatever an agent sends")
}

func TestIngestNotifiesWatchers(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	changed := d.Changed()
	assert.NilError(t, d.Ingest(report("q1", 1, "qa-web_app")))
	select {
	case <-changed:
	default:
		t.Fatal("Changed was not closed by a report")
	}
}

// everyone reports: q1 runs qa's containers, p1 prod's, s1 one of each.
func everyone(t *testing.T, d *Service) {
	t.Helper()
	for _, r := range []api.AgentReport{
		report("q1", 10, "qa-web_app", "qa-web_app"), report("p1", 90, "prod-web_app"),
		report("s1", 50, "qa-web_app", "prod-web_app"), report("p2", 1), report("b1", 1),
	} {
		assert.NilError(t, d.Ingest(r))
	}
}

func TestAQAMemberSeesNothingOfProd(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	everyone(t, d)
	qa := seesOnly("qa")
	view, err := d.View(qa, "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(view.Counters.Environments, 1))
	assert.Check(t, is.Equal(view.Counters.Hosts.Total, 2), "qa-1 and shared-1")
	assert.Check(t, is.Equal(view.Counters.Stacks, 1))
	assert.Check(t, is.Equal(view.Counters.Services, 1))
	assert.Check(t, is.DeepEqual(view.Counters.Containers, api.ContainerCounts{Total: 2, Running: 2}))
	assert.Check(t, is.Len(view.TopCPU, 3), "qa's three containers")
	assert.Check(t, is.Equal(view.TopCPU[0].Hostname, "shared-1"))
	assert.Check(t, is.Len(view.Timeline, 2))
	data, err := json.Marshal(view)
	assert.NilError(t, err)
	for _, leak := range []string{"prod", "p1", "bare"} {
		assert.Check(t, !strings.Contains(string(data), leak), "%q in the qa member's dashboard: %s", leak, data)
	}

	hosts := d.Hosts(qa)
	assert.Check(t, is.Len(hosts, 2))
	for _, h := range hosts {
		assert.Check(t, is.DeepEqual(h.Envs, []string{"qa"}))
		if h.Hostname == "shared-1" {
			assert.Check(t, is.Equal(h.Containers, 1))
			assert.Check(t, is.DeepEqual(h.History.CPU, []float64{50}), "only qa's container's load")
		}
	}
	_, err = d.Host(qa, "prod-1")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	detail, err := d.Host(qa, "shared-1")
	assert.NilError(t, err)
	assert.Check(t, is.Len(detail.Running, 1))
	for _, q := range []api.UsageQuery{{Stack: "prod-web"}, {Service: "prod-web_app"}, {Node: "p1"}} {
		_, err := d.Usage(qa, q)
		assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "%+v", q)
	}
	usage, err := d.Usage(qa, api.UsageQuery{Node: "s1"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(usage, 1))
	_, err = d.View(qa, "bob", api.DashboardQuery{Env: "prod"})
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestTheAdminSeesEverything(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	everyone(t, d)
	view, err := d.View(seesAll, "admin", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(view.Counters.Hosts, api.HostCounts{Total: 5, Ready: 5}))
	assert.Check(t, is.DeepEqual(view.Counters.Containers, api.ContainerCounts{Total: 4, Running: 3, Failing: 1}))
	assert.Check(t, is.Len(view.TopCPU, 5))
	assert.Check(t, is.Equal(view.TopCPU[0].Hostname, "prod-1"))
	assert.Assert(t, is.Len(view.Environments, 1))
	prod := view.Environments[0]
	assert.Check(t, is.Equal(prod.Name, "prod"))
	// prod-web_app runs 1 of 3 (30 x 2/3) and had a failed task (10).
	assert.Check(t, is.Equal(prod.Score, 30.0))
	assert.Check(t, is.Equal(prod.Reasons[0].Kind, api.ReasonBelowReplicas))
	assert.Check(t, is.Equal(prod.Reasons[0].Object, api.ObjectRef{Kind: "service", Name: "prod-web_app", ID: "sp", Stack: "prod-web"}))
	assert.Assert(t, is.Len(view.Hosts, 1))
	assert.Check(t, is.Equal(view.Hosts[0].Name, "prod-1"), "the failed task was there")
}

func TestASilentAgentDropsItsNodesLoad(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	everyone(t, d)
	c.advance(api.AgentSilentAfter + time.Second)
	assert.NilError(t, d.Ingest(report("q1", 10, "qa-web_app")))
	view, err := d.View(seesAll, "admin", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(view.Counters.Hosts, api.HostCounts{Total: 5, Ready: 1, Silent: 4}))
	assert.Check(t, is.Len(view.TopCPU, 1), "only q1's container is live")
	assert.Check(t, is.Equal(view.Hosts[0].Reasons[0].Kind, api.ReasonAgentSilent))
}

func TestEmptyListsAreNotNull(t *testing.T) {
	c := newClock()
	d := newTestService(t, twoEnvs(t, c), c, nil)
	view, err := d.View(seesOnly("none"), "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	full, err := d.View(seesAll, "admin", api.DashboardQuery{})
	assert.NilError(t, err)
	host, err := d.Host(seesAll, "q1")
	assert.NilError(t, err)
	usage, err := d.Usage(seesAll, api.UsageQuery{Stack: "qa-web"})
	assert.NilError(t, err)
	for _, v := range []any{view, full, host, usage, d.Hosts(seesOnly("none")), d.Pins("bob")} {
		data, err := json.Marshal(v)
		assert.NilError(t, err)
		assert.Check(t, !strings.Contains(string(data), "null"), "%s", data)
	}
}

// drifts says every stack has one service drifting.
type drifts struct{ asked int }

func (d *drifts) Drift(stack string) []api.Drift {
	d.asked++
	return []api.Drift{{Service: stack + "_app", Kind: api.DriftUpdated}}
}

func TestDriftIsToldOffTheRequestPath(t *testing.T) {
	c := newClock()
	store, fake := twoEnvs(t, c), &drifts{}
	d := New(Config{Index: store, Drifts: fake, Now: c.now})
	view, err := d.View(seesOnly("qa"), "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.Len(view.Environments, 0))
	assert.Check(t, is.Equal(fake.asked, 0), "a request does not ask the stacks")

	d.rebuild(nil, true) // as Run does
	view, err = d.View(seesOnly("qa"), "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(view.Environments, 1))
	assert.Check(t, is.Equal(view.Environments[0].Reasons[0].Kind, api.ReasonDrifted))
	assert.Check(t, is.Equal(view.Environments[0].Reasons[0].Object, api.ObjectRef{Kind: "stack", Name: "qa-web"}))
	assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: "dev"}))
	view, err = d.View(seesOnly("qa"), "bob", api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.Len(view.Environments, 1), "a rebuild on the request path keeps the last drift")
}
