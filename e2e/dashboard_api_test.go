//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// A node drained on a real swarm shows on the dashboard and its timeline, and a manager
// killed with SIGKILL comes back with the timeline and the pins it had written.
func TestDashboardKeepsTheTimelineAndPinsAcrossAKill(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 2})
	ctx := context.Background()
	node2 := e.nodeID(t, "node2")
	pins, err := e.api.SetDashboardPins(ctx, api.DashboardPins{Hosts: []string{node2}})
	assert.NilError(t, err)

	drained := time.Now()
	e.docker("node", "update", "--availability", "drain", "node2").Assert(t, icmd.Success)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		d, err := e.api.Dashboard(ctx, api.DashboardQuery{})
		if err != nil {
			return poll.Continue("dashboard: %v", err)
		}
		if d.Counters.Hosts.Drain != 1 || len(d.Pinned.Hosts) != 1 || d.Pinned.Hosts[0].State != api.HostDrain {
			return poll.Continue("node2 not drained on the dashboard yet: %+v", d.Counters.Hosts)
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(200*time.Millisecond))
	// The timeline is written every 10 s: wait for a segment written after the drain.
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		configs, err := e.engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("label", "io.exos.kind=dashboard-timeline"))})
		assert.NilError(t, err)
		for _, c := range configs {
			if c.CreatedAt.After(drained) {
				return poll.Success()
			}
		}
		return poll.Continue("no timeline segment written since the drain")
	}, poll.WithTimeout(45*time.Second), poll.WithDelay(time.Second))

	killed := time.Now()
	e.killManager()
	host, err := e.api.InspectHost(ctx, "node2")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(host.State, api.HostDrain))
	segs := host.Timeline.Segments
	assert.Assert(t, len(segs) >= 1)
	last := segs[len(segs)-1]
	assert.Check(t, is.Equal(last.State, api.HostDrain))
	assert.Check(t, last.From.Before(killed), "the drain recorded before the kill: %+v", segs)
	got, err := e.api.DashboardPins(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, pins))
}

// nodeID is the swarm ID of the node with that hostname.
func (e *exos) nodeID(t *testing.T, hostname string) string {
	nodes, err := e.engine.NodeList(context.Background(), swarm.NodeListOptions{})
	assert.NilError(t, err)
	for _, n := range nodes {
		if n.Description.Hostname == hostname {
			return n.ID
		}
	}
	t.Fatalf("no node %s", hostname)
	return ""
}
