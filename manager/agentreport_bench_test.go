package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/dashboard/dashtest"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// BenchmarkAgentReport measures what one agent's report costs the manager, the part of
// its idle CPU that grows with the nodes: POST /agent/v1/report of 100 containers (agent
// key, JSON, the dashboard's samples, the watcher's repair) over an index of 10 nodes and
// 2,000 tasks, as the idle benchmark's larger swarm. It prints that cost at 10 nodes
// reporting every api.AgentInterval, as a share of a core (TLS and the network aside).
func BenchmarkAgentReport(b *testing.B) {
	const nodes, perNode = 10, 100
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(nodes, 10, 200, 2000)); err != nil {
		b.Fatal(err)
	}
	clock := dashtest.NewClock()
	d := dashboard.New(dashboard.Config{Index: store, Objects: persist.New(swarmtest.NewEngine()), Now: clock.Now})
	key := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	srv := server.New(server.Config{Store: store, Dashboard: d, Tasks: swarm.NewWatcher(nil, store, slog.New(slog.DiscardHandler)),
		AgentKey: key, Log: slog.New(slog.DiscardHandler)})
	srv.SetReady()
	handler := srv.Handler()
	bodies := reportBodies(b, dashtest.Reports(store, perNode))
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		clock.Advance(api.AgentInterval / nodes)
		req := httptest.NewRequest(http.MethodPost, api.AgentReportPath, bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Authorization", "Bearer "+string(key))
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent {
			b.Fatalf("the report was refused: %d %s", rec.Code, rec.Body)
		}
	}
	perReport := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(float64(len(bodies[0]))/1024, "report-KiB")
	b.ReportMetric(perReport*nodes/api.AgentInterval.Seconds()*100, "cpu-%-at-10-nodes")
}

// reportBodies are the reports as agents send them: real-sized container IDs, and
// numbers in every sample.
func reportBodies(b *testing.B, reports []api.AgentReport) [][]byte {
	var out [][]byte
	for i, r := range reports {
		for j := range r.Containers {
			c := &r.Containers[j]
			c.ContainerID = fmt.Sprintf("%064x", i*1000+j)
			c.CPUPercent, c.MemoryUsage = 0.0123*float64(j), uint64(20+j)<<20
		}
		data, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}
