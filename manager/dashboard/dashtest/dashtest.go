// Package dashtest builds the synthetic dashboards the benchmarks measure: an index of
// nodes, stacks, services and tasks (statetest.Synthetic) fed agent reports on a
// simulated clock, as the manager would be after that long.
package dashtest

import (
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/state"
)

// Clock is the simulated clock a dashboard reads.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at a fixed instant.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Reports are one report per node of store, each with the containers of up to perNode
// of the node's tasks.
func Reports(store *state.Store, perNode int) []api.AgentReport {
	var out []api.AgentReport
	for _, n := range store.Nodes(nil) {
		r := api.AgentReport{NodeID: n.ID, Node: api.NodeSample{CPUs: 8, MemoryTotal: 32 << 30, MemoryAvailable: 16 << 30, DiskTotal: 1 << 40, DiskFree: 1 << 39}}
		tasks := store.TasksByNode(nil, n.ID)
		for _, t := range tasks[:min(perNode, len(tasks))] {
			svc := store.ServiceByID(nil, t.ServiceID)
			r.Containers = append(r.Containers, api.ContainerSample{ContainerID: t.Raw.Status.ContainerStatus.ContainerID,
				TaskID: t.ID, ServiceID: svc.ID, Service: svc.Name, Stack: svc.Stack, MemoryLimit: 512 << 20})
		}
		out = append(out, r)
	}
	return out
}

// Feed sends rounds of reports to d, one round every api.AgentInterval of clock, each
// container's CPU and memory varying from round to round, and records the host
// timeline after each round. The clock ends at the last round.
func Feed(d *dashboard.Service, clock *Clock, reports []api.AgentReport, rounds int) error {
	for round := range rounds {
		for i := range reports {
			r := &reports[i]
			for j := range r.Containers {
				r.Containers[j].CPUPercent = float64((round*7 + i*13 + j*31) % 200)
				r.Containers[j].MemoryUsage = uint64((round+i+j)%512) << 20
			}
			if err := d.Ingest(*r); err != nil {
				return err
			}
		}
		d.Record()
		clock.Advance(api.AgentInterval)
	}
	clock.Advance(-api.AgentInterval)
	return nil
}
