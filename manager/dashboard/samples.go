package dashboard

import (
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// samples are the agents' reports: each node's latest, and every container's history.
type samples struct {
	nodes      map[string]*nodeSamples
	containers map[string]*container // by container ID
}

// nodeSamples is what a node's latest report said.
type nodeSamples struct {
	at         time.Time // when it arrived, by the manager's clock
	node       api.NodeSample
	volumes    []api.VolumeSample
	containers []*container // those of the latest report
	load       ring         // the containers' sum
	// reasons are the report's containers' reasons (unhealthy, restarting), judged once
	// per report.
	reasons []scored
}

// container is one container's latest sample and history.
type container struct {
	node   string
	env    string // its stack's environment when it reported
	at     time.Time
	sample api.ContainerSample
	ring   ring
}

func newSamples() samples {
	return samples{nodes: map[string]*nodeSamples{}, containers: map[string]*container{}}
}

// ingest keeps a report that arrived at now.
func (s *samples) ingest(m *model, r api.AgentReport, now time.Time) {
	n := s.nodes[r.NodeID]
	if n == nil {
		n = &nodeSamples{}
		s.nodes[r.NodeID] = n
	}
	n.at, n.node, n.volumes = now, r.Node, r.Volumes
	n.containers = n.containers[:0]
	n.reasons = n.reasons[:0]
	var cpu float64
	var mem uint64
	for _, cs := range r.Containers {
		c := s.containers[cs.ContainerID]
		if c == nil {
			c = &container{}
			s.containers[cs.ContainerID] = c
		}
		if cs.Stack == "" {
			cs.Stack = m.stackOfService(cs.ServiceID, cs.Service)
		}
		c.node, c.env, c.at, c.sample = r.NodeID, m.envOfStack(cs.Stack), now, cs
		c.ring.add(now, cs.CPUPercent, cs.MemoryUsage)
		n.containers = append(n.containers, c)
		n.reasons = append(n.reasons, containerReasons(c)...)
		cpu += cs.CPUPercent
		mem += cs.MemoryUsage
	}
	n.load.add(now, cpu, mem)
}

// sweep drops the containers with no sample for HistoryWindow and the nodes the index
// no longer has.
func (s *samples) sweep(m *model, now time.Time) {
	for id, c := range s.containers {
		if now.Sub(c.at) > api.HistoryWindow || m.nodes[c.node] == nil {
			delete(s.containers, id)
		}
	}
	for id := range s.nodes {
		if m.nodes[id] == nil {
			delete(s.nodes, id)
		}
	}
}

// live are a node's containers if its latest report is recent, none if the agent is
// silent: a dead node's last numbers are not its load.
func (n *nodeSamples) live(now time.Time) []*container {
	if n == nil || now.Sub(n.at) > api.AgentSilentAfter {
		return nil
	}
	return n.containers
}

// fresh is the node's sample if its latest report is recent.
func (n *nodeSamples) fresh(now time.Time) (api.NodeSample, bool) {
	if n == nil || now.Sub(n.at) > api.AgentSilentAfter {
		return api.NodeSample{}, false
	}
	return n.node, true
}

// stackOfService is the stack of a service a sample names by ID or by name.
func (m *model) stackOfService(id, name string) string {
	if info := m.byID[id]; info != nil {
		return info.stack
	}
	if info := m.byName[name]; info != nil {
		return info.stack
	}
	return ""
}
