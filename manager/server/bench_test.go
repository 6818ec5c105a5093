package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
)

// BenchmarkListStackContainers measures the API's read path the way `docker exos stack
// containers` uses it, on a manager whose index holds 100 nodes, 2,000 services in 200
// stacks and 20,000 tasks: authentication, the index join, the views and the JSON encoding.
// It reports the p99 latency and the live heap with the index loaded.
func BenchmarkListStackContainers(b *testing.B) {
	const stacks, tasks = 200, 20000
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(100, stacks, 2000, tasks)); err != nil {
		b.Fatal(err)
	}
	s, _ := newTestServer(b, store, nil)
	handler := s.Handler()
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/stacks/stack%03d/containers", i%stacks), nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		start := time.Now()
		handler.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if i == 0 {
			var rows []api.Container
			if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil || len(rows) != tasks/stacks || rows[0].Node == "" || !rows[0].Current {
				b.Fatalf("got %d rows (%v), want %d joined, current rows", len(rows), err, tasks/stacks)
			}
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
}
