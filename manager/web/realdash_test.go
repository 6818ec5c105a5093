package web_test

import (
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// realDashboard is the manager's own server and dashboard over a synthetic index of
// nodes, stacks, services and tasks, fed 15 minutes of agent reports (perNode containers
// per node every 5 s, on a simulated clock), as the admin sees it: the document the
// render benchmark draws is the one the manager would send.
func realDashboard(tb testing.TB, nodes, stacks, services, tasks, perNode int) http.Handler {
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(nodes, stacks, services, tasks)); err != nil {
		tb.Fatal(err)
	}
	clock := &simClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	d := dashboard.New(dashboard.Config{Index: store, Objects: persist.New(swarmtest.NewEngine()), Now: clock.now})
	reports := agentReports(store, perNode)
	for round := range int(api.HistoryWindow / api.AgentInterval) {
		for i := range reports {
			r := &reports[i]
			for j := range r.Containers {
				r.Containers[j].CPUPercent = float64((round*7 + i*13 + j*31) % 200)
				r.Containers[j].MemoryUsage = uint64((round+i+j)%512) << 20
			}
			if err := d.Ingest(*r); err != nil {
				tb.Fatal(err)
			}
		}
		d.Record()
		clock.advance(api.AgentInterval)
	}
	srv := server.New(server.Config{Store: store, Authenticator: admin{}, Dashboard: d, Log: slog.New(slog.DiscardHandler)})
	srv.SetReady()
	return srv.Handler()
}

// agentReports are one report per node, of perNode of its tasks.
func agentReports(store *state.Store, perNode int) []api.AgentReport {
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

type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// admin authenticates every request as the global admin.
type admin struct{}

func (admin) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal{Name: "admin", User: "admin", Admin: true}, nil
}
