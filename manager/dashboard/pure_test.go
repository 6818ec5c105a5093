package dashboard

import (
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestHostState(t *testing.T) {
	now := newClock().now()
	down, drained := node("n", "h"), node("n", "h")
	down.State, drained.Availability = "down", "drain"
	for _, tc := range []struct {
		name            string
		node            *state.Node
		report, started time.Time
		want            string
	}{
		{"reporting", node("n", "h"), now.Add(-5 * time.Second), now.Add(-time.Hour), api.HostReady},
		{"silent", node("n", "h"), now.Add(-16 * time.Second), now.Add(-time.Hour), api.HostSilent},
		{"never reported, manager just started", node("n", "h"), time.Time{}, now.Add(-10 * time.Second), api.HostReady},
		{"never reported", node("n", "h"), time.Time{}, now.Add(-time.Minute), api.HostSilent},
		{"down wins over silent", down, time.Time{}, now.Add(-time.Hour), api.HostDown},
		{"drained", drained, now, now, api.HostDrain},
	} {
		assert.Check(t, is.Equal(hostState(tc.node, tc.report, tc.started, now), tc.want), tc.name)
	}
}

func TestNodeReasons(t *testing.T) {
	n := node("n1", "web-1", "qa")
	calm := api.NodeSample{CPUs: 4, Load1: 1, MemoryTotal: 100, MemoryAvailable: 50, DiskTotal: 100, DiskFree: 50}
	for _, tc := range []struct {
		name   string
		state  string
		sample api.NodeSample
		fresh  bool
		want   []string
	}{
		{"ready and calm", api.HostReady, calm, true, nil},
		{"down", api.HostDown, calm, true, []string{api.ReasonNodeDown}},
		{"silent: its stale sample says nothing", api.HostSilent, api.NodeSample{CPUPressure: 90}, false, []string{api.ReasonAgentSilent}},
		{"drained", api.HostDrain, calm, true, []string{api.ReasonNodeDrain}},
		{"cpu pressure", api.HostReady, api.NodeSample{CPUPressure: 30}, true, []string{api.ReasonCPUPressure}},
		{"load per cpu", api.HostReady, api.NodeSample{CPUs: 2, Load1: 3}, true, []string{api.ReasonCPUPressure}},
		{"memory low", api.HostReady, api.NodeSample{MemoryTotal: 100, MemoryAvailable: 5}, true, []string{api.ReasonMemoryPressure}},
		{"memory stall", api.HostReady, api.NodeSample{MemoryPressure: 20}, true, []string{api.ReasonMemoryPressure}},
		{"disk full", api.HostReady, api.NodeSample{DiskTotal: 100, DiskFree: 2}, true, []string{api.ReasonDiskPressure}},
	} {
		var got []string
		for _, r := range nodeReasons(n, tc.state, tc.sample, tc.fresh) {
			got = append(got, r.Kind)
			assert.Check(t, is.DeepEqual(r.Object, api.ObjectRef{Kind: "node", Name: "web-1", ID: "n1"}), tc.name)
			assert.Check(t, is.DeepEqual(r.envs, []string{"qa"}), tc.name)
			assert.Check(t, is.Equal(r.Score, weights[r.Kind]), tc.name)
		}
		assert.Check(t, is.DeepEqual(got, tc.want), tc.name)
	}
}

func TestServiceAndFailingReasons(t *testing.T) {
	now := newClock().now()
	svc := &serviceInfo{id: "s", name: "shop_web", stack: "shop", env: "qa", desired: 4, running: 1}
	below := serviceReasons(svc)
	assert.Assert(t, is.Len(below, 1))
	assert.Check(t, is.Equal(below[0].Score, 30*0.75))
	assert.Check(t, is.Len(serviceReasons(&serviceInfo{desired: 2, running: 2}), 0))
	assert.Check(t, is.Len(serviceReasons(&serviceInfo{desired: 0}), 0), "scaled to zero")

	var failed []failedTask
	for i := range 8 {
		failed = append(failed, failedTask{service: svc, node: "n1", at: now.Add(-time.Duration(i) * time.Minute)})
	}
	failed = append(failed, failedTask{service: svc, node: "n2", at: now.Add(-time.Hour)}) // too old
	got := failingReasons(failed, now)
	assert.Assert(t, is.Len(got, 2))
	assert.Check(t, is.Equal(got[0].Score, 10.0*maxUnits), "capped at maxUnits")
	assert.Check(t, !got[0].hostOnly && got[0].node == "")
	assert.Check(t, got[1].hostOnly && got[1].node == "n1")
}

func TestStackReasons(t *testing.T) {
	failed := &state.Revision{Stack: "shop", Number: 3, State: api.RevisionFailed, Failure: "rollout"}
	for _, tc := range []struct {
		name    string
		st      stackInfo
		drifted int
		want    []string
	}{
		{"fine", stackInfo{name: "shop", latest: &state.Revision{State: api.RevisionApplied}}, 0, nil},
		{"failed", stackInfo{name: "shop", latest: failed}, 0, []string{api.ReasonRevisionFailed}},
		{"drifted natively deployed", stackInfo{name: "shop"}, 2, []string{api.ReasonDrifted}},
	} {
		var got []string
		for _, r := range stackReasons(tc.st, tc.drifted) {
			got = append(got, r.Kind)
			assert.Check(t, is.Equal(r.Object.Kind, "stack"))
		}
		assert.Check(t, is.DeepEqual(got, tc.want), tc.name)
	}
}

func TestRankScopesAndOrders(t *testing.T) {
	r := func(kind string, score float64, node string, hostOnly bool, envs ...string) scored {
		return scored{Reason: api.Reason{Kind: kind, Score: score, Text: kind}, envs: envs, node: node, hostOnly: hostOnly}
	}
	reasons := []scored{
		r(api.ReasonNodeDown, 100, "p1", false, "prod"),
		r(api.ReasonBelowReplicas, 20, "", false, "qa"),
		r(api.ReasonTaskFailing, 10, "s1", true, "prod"), // prod's service on the shared node
		r(api.ReasonUnhealthy, 20, "s1", false, "qa"),
		r(api.ReasonNodeDrain, 5, "s1", false, "prod", "qa"),
		r(api.ReasonNodeDown, 100, "b1", false, ""),
	}
	hosts := map[string]host{"p1": {"p1", "prod-1"}, "s1": {"s1", "shared-1"}, "b1": {"b1", "bare-1"}}
	envs, nodes := rank(reasons, seesAll, hosts, 5)
	assert.Check(t, is.DeepEqual(names(envs), []string{"prod", "qa"}))
	assert.Check(t, is.DeepEqual(names(nodes), []string{"bare-1", "prod-1", "shared-1"}))
	assert.Check(t, is.Equal(nodes[2].Score, 35.0))
	assert.Check(t, is.Equal(envs[1].Score, 45.0), "the shared node's drain counts in both")

	qaHosts := map[string]host{"s1": hosts["s1"]}
	envs, nodes = rank(reasons, seesOnly("qa"), qaHosts, 5)
	assert.Check(t, is.DeepEqual(names(envs), []string{"qa"}))
	assert.Assert(t, is.Len(nodes, 1))
	assert.Check(t, is.Equal(nodes[0].Score, 25.0), "prod's failing task on the shared node is not qa's to see")

	envs, _ = rank(reasons, seesAll, hosts, 1)
	assert.Check(t, is.DeepEqual(names(envs), []string{"prod"}), "top n")
}

func names(as []api.Attention) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestTopBy(t *testing.T) {
	var cs []*container
	for i, cpu := range []float64{5, 50, 1, 70, 50, 3} {
		cs = append(cs, &container{sample: api.ContainerSample{ContainerID: string(rune('a' + i)), CPUPercent: cpu}})
	}
	var got []string
	for _, c := range topBy(cs, 3, cpuOf) {
		got = append(got, c.sample.ContainerID)
	}
	assert.Check(t, is.DeepEqual(got, []string{"d", "b", "e"}), "highest first, ties by ID")
}

func TestRing(t *testing.T) {
	c := newClock()
	var r ring
	for i := range slots + 20 { // wraps around
		r.add(c.now(), float64(i), uint64(i))
		c.advance(api.AgentInterval)
	}
	c.advance(-api.AgentInterval)
	s := r.series(c.now())
	assert.Check(t, is.Len(s.Time, slots))
	assert.Check(t, is.Equal(s.CPU[0], 20.0), "the oldest kept")
	assert.Check(t, is.Equal(s.CPU[slots-1], float64(slots+19)), "the newest last")
	assert.Check(t, is.Equal(s.Time[slots-1]-s.Time[0], int64(api.HistoryWindow/time.Second)-5))

	c.advance(10 * time.Minute)
	assert.Check(t, is.Len(r.series(c.now()).Time, slots-120), "what is older than the window is gone")
	var acc sum
	acc.add(&r, c.now())
	acc.add(&r, c.now())
	assert.Check(t, is.Equal(acc.series(c.now()).Memory[0], uint64(2*(20+120))))
}

func TestSegmentsOf(t *testing.T) {
	at := newClock().now()
	m := func(d int) time.Time { return at.Add(time.Duration(d) * time.Minute) }
	ts := []transition{{State: "ready", At: m(0)}, {State: "down", At: m(10)}, {State: "ready", At: m(20)}}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     []api.HostSegment
	}{
		{"all", m(-5), m(30), []api.HostSegment{{State: "ready", From: m(0), To: m(10)}, {State: "down", From: m(10), To: m(20)}, {State: "ready", From: m(20)}}},
		{"from inside a segment", m(15), m(30), []api.HostSegment{{State: "down", From: m(15), To: m(20)}, {State: "ready", From: m(20)}}},
		{"after the last", m(25), m(30), []api.HostSegment{{State: "ready", From: m(25)}}},
	} {
		assert.Check(t, is.DeepEqual(segmentsOf(ts, tc.from, tc.to), tc.want), tc.name)
	}
	assert.Check(t, is.DeepEqual(segmentsOf(nil, m(0), m(1)), []api.HostSegment{}))
}

func TestTransitions(t *testing.T) {
	at := newClock().now()
	last := map[string]string{"a": api.HostReady, "b": api.HostReady}
	now := []nodeState{{"a", "ha", api.HostReady}, {"b", "hb", api.HostDown}, {"c", "hc", api.HostReady}}
	got := transitions(last, now, at)
	assert.Check(t, is.DeepEqual(got, []transition{{Node: "b", Host: "hb", State: api.HostDown, At: at}, {Node: "c", Host: "hc", State: api.HostReady, At: at}}))
}
