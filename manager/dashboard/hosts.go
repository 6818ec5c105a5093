package dashboard

import (
	"slices"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// hostState is a node's state on the dashboard: down when Swarm says it is not ready,
// drain when it is drained, agent silent when no report came for AgentSilentAfter
// (counted from the manager's start for a node that never reported), else ready.
func hostState(n *state.Node, lastReport, started, now time.Time) string {
	switch {
	case n.State != "ready":
		return api.HostDown
	case n.Availability == "drain":
		return api.HostDrain
	case now.Sub(later(lastReport, started)) > api.AgentSilentAfter:
		return api.HostSilent
	}
	return api.HostReady
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// hostRow is a node the caller sees, with its state and samples (nil: none).
type hostRow struct {
	node    *state.Node
	state   string
	samples *nodeSamples
}

// hostRows are the nodes the caller sees, in ID order. Callers hold s.mu.
func (s *Service) hostRows(m *model, sees func(string) bool, now time.Time) []hostRow {
	out := make([]hostRow, 0, len(m.nodeList))
	for _, n := range m.nodeList {
		if !nodeVisible(n, sees) {
			continue
		}
		ns := s.samples.nodes[n.ID]
		var at time.Time
		if ns != nil {
			at = ns.at
		}
		out = append(out, hostRow{node: n, state: hostState(n, at, s.started, now), samples: ns})
	}
	return out
}

// visibleContainers are a host's live containers the caller sees.
func visibleContainers(row hostRow, sees func(string) bool, now time.Time) []*container {
	live := row.samples.live(now)
	out := make([]*container, 0, len(live))
	for _, c := range live {
		if sees(c.env) {
			out = append(out, c)
		}
	}
	return out
}

// hostLoad is a host as the caller may see it: the environments it sees, and the history
// of the containers it sees (the node's own sum when it sees them all).
func hostLoad(row hostRow, sees func(string) bool, now time.Time) api.HostLoad {
	h := api.HostLoad{NodeID: row.node.ID, Hostname: row.node.Hostname, State: row.state, Envs: []string{}}
	for _, env := range row.node.Envs {
		if sees(env) {
			h.Envs = append(h.Envs, env)
		}
	}
	h.Containers = len(visibleContainers(row, sees, now))
	if row.samples == nil {
		h.History = (&sum{}).series(now)
		return h
	}
	h.LastReport, h.Node = row.samples.at, row.samples.node
	hidden := func(c *container) bool { return !sees(c.env) }
	if !slices.ContainsFunc(row.samples.containers, hidden) {
		h.History = row.samples.load.series(now)
		return h
	}
	h.History = sumOf(slices.DeleteFunc(slices.Clone(row.samples.containers), hidden), now)
	return h
}

// sumOf is the summed history of containers.
func sumOf(cs []*container, now time.Time) api.Series {
	var acc sum
	for _, c := range cs {
		acc.add(&c.ring, now)
	}
	return acc.series(now)
}
