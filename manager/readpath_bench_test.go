package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// BenchmarkListStackContainers measures the API's read path the way `docker exos stack
// containers` uses it, on a manager whose index holds 100 nodes, 2,000 services in 200
// stacks and 20,000 tasks: authentication, the index join, the views and the JSON encoding.
// It reports the p99 latency and the live heap with the index loaded.
func BenchmarkListStackContainers(b *testing.B) {
	const stackCount, tasks = 200, 20000
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(100, stackCount, 2000, tasks)); err != nil {
		b.Fatal(err)
	}
	engine := swarmtest.NewEngine()
	log := slog.New(slog.DiscardHandler)
	svc := stacks.New(store, persist.New(engine), exswarm.NewDeployer(engine), time.Now, log)
	admin := benchCaller{Name: "admin", User: "admin", Admin: true}
	srv := server.New(server.Config{Store: store, Stacks: svc, Authenticator: admin, Log: log})
	srv.SetReady()
	handler := srv.Handler()
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/stacks/stack%03d/containers", i%stackCount), nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		handler.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if i == 0 {
			var rows []api.Container
			if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil || len(rows) != tasks/stackCount || rows[0].Node == "" || !rows[0].Current {
				b.Fatalf("got %d rows (%v), want %d joined, current rows", len(rows), err, tasks/stackCount)
			}
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
}

// BenchmarkFilteredStackList measures `stack ls` for a member of 1 of 100 environments on
// an index of 2,000 services in 200 stacks and 20,000 tasks: the list, filtered to what the
// caller may see, encoded. Target p99 < 5 ms.
func BenchmarkFilteredStackList(b *testing.B) {
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(100, 200, 2000, 20000)); err != nil {
		b.Fatal(err)
	}
	engine := swarmtest.NewEngine()
	log := slog.New(slog.DiscardHandler)
	svc := stacks.New(store, persist.New(engine), exswarm.NewDeployer(engine), time.Now, log)
	member := authz.Principal{Name: "bob", User: "bob", Roles: map[string]authz.Role{statetest.SyntheticEnv(0): authz.RoleMember}}
	srv := server.New(server.Config{Store: store, Stacks: svc, Authenticator: benchCaller(member), Log: log})
	srv.SetReady()
	handler := srv.Handler()
	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/stacks", nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		handler.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if i == 0 {
			var rows []api.Stack
			if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil || len(rows) != 2 {
				b.Fatalf("got %d stacks (%v), want the 2 of env00: %s", len(rows), err, rec.Body)
			}
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
}

// benchCaller authenticates every request as one principal.
type benchCaller authz.Principal

func (c benchCaller) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal(c), nil
}
