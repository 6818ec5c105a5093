package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/dashboard/dashtest"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

const (
	benchNodes      = 100
	benchPerNode    = 50 // containers each node's agent reports
	benchHistoryLen = int(api.HistoryWindow / api.AgentInterval)
)

// benchDashboard is a dashboard over an index of 100 nodes, 2,000 services in 200 stacks
// and 20,000 tasks, fed 15 minutes of reports (every node every 5 s, 50 containers each)
// on a simulated clock, and the server serving it; it returns the heap the reports took.
func benchDashboard(b *testing.B) (*dashboard.Service, *dashtest.Clock, http.Handler, []api.AgentReport, float64) {
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(benchNodes, 200, 2000, 20000)); err != nil {
		b.Fatal(err)
	}
	clock := dashtest.NewClock()
	d := dashboard.New(dashboard.Config{Index: store, Objects: persist.New(swarmtest.NewEngine()), Now: clock.Now})
	reports := dashtest.Reports(store, benchPerNode)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := dashtest.Feed(d, clock, reports, benchHistoryLen); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	admin := benchCaller{Name: "admin", User: "admin", Admin: true}
	srv := server.New(server.Config{Store: store, Authenticator: admin, Dashboard: d, Log: slog.New(slog.DiscardHandler)})
	srv.SetReady()
	heap := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)
	return d, clock, srv.Handler(), reports, heap
}

// BenchmarkDashboard measures GET /api/v1/dashboard for the admin on that dashboard
// (target p99 < 10 ms) and the heap 15 minutes of samples take (target < 200 MiB).
func BenchmarkDashboard(b *testing.B) {
	_, _, handler, _, heap := benchDashboard(b)
	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/dashboard", nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		handler.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if i == 0 {
			var doc api.Dashboard
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Counters.Hosts.Ready != benchNodes ||
				len(doc.TopCPU) == 0 || len(doc.TopCPU[0].History.Time) != benchHistoryLen {
				b.Fatalf("not the dashboard of 100 ready nodes with 15 minutes of history (%v): %.300s", err, rec.Body)
			}
			b.ReportMetric(float64(rec.Body.Len())/1024, "doc-KiB")
		}
	}
	slices.Sort(durations)
	p99 := float64(durations[len(durations)*99/100].Microseconds()) / 1000
	b.ReportMetric(p99, "p99-ms")
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(heap, "samples-heap-MiB")
	b.Logf("GET /api/v1/dashboard p99 %.2f ms (target < 10); heap of 15 min of samples %.1f MiB (target < 200)", p99, heap)
}

// BenchmarkDashboardEvents measures the time from a report's Ingest to an open event
// stream receiving a document with it (target < 1 s), over loopback, with reports
// arriving at the agents' rate (100 nodes every 5 s: one each 50 ms), so the stream
// coalesces them as it would.
func BenchmarkDashboardEvents(b *testing.B) {
	d, clock, handler, reports, _ := benchDashboard(b)
	ts := httptest.NewServer(handler)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/v1/dashboard/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	times := make(chan time.Time, 16)
	go readEventTimes(resp, times)
	<-times // the first document, at once
	var mu sync.Mutex
	var latencies []time.Duration
	type sent struct{ at, start time.Time }
	var pending []sent
	done := make(chan struct{})
	go func() { // each document carries every report ingested before its Time
		defer close(done)
		for got := range times {
			mu.Lock()
			for len(pending) > 0 && !pending[0].at.After(got) {
				latencies = append(latencies, time.Since(pending[0].start))
				pending = pending[1:]
			}
			mu.Unlock()
		}
	}()
	interval := api.AgentInterval / time.Duration(len(reports))
	for i := 0; b.Loop(); i++ {
		time.Sleep(interval)
		clock.Advance(interval)
		mu.Lock()
		pending = append(pending, sent{at: clock.Now(), start: time.Now()})
		mu.Unlock()
		if err := d.Ingest(reports[i%len(reports)]); err != nil {
			b.Fatal(err)
		}
	}
	time.Sleep(time.Second) // the last reports' document
	cancel()
	<-done
	if len(pending) > 0 {
		b.Fatalf("%d reports never reached the stream", len(pending))
	}
	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	b.ReportMetric(float64(p99.Microseconds())/1000, "ingest-to-event-p99-ms")
	b.Logf("report to event stream p99 %v (target < 1 s), %d reports at one per %v", p99, len(latencies), interval)
}

// readEventTimes sends the Time of each dashboard document the stream carries.
func readEventTimes(resp *http.Response, times chan<- time.Time) {
	defer close(times)
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64<<10), 64<<20)
	for scanner.Scan() {
		data, ok := strings.CutPrefix(scanner.Text(), "data: ")
		if !ok {
			continue
		}
		var doc struct {
			Time time.Time `json:"time"`
		}
		if err := json.Unmarshal([]byte(data), &doc); err != nil {
			panic(fmt.Sprintf("a bad event: %v", err))
		}
		times <- doc.Time
	}
}
