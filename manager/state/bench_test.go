package state_test

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
)

// Scale of the synthetic swarm: 100 nodes, 2,000 services in 200 stacks, 20,000 tasks.
const (
	benchNodes    = 100
	benchStacks   = 200
	benchServices = 2000
	benchTasks    = 20000
)

// container is the row an API handler builds for `docker exos stack ps`.
type container struct {
	ID, Service, Node, Image, State, DesiredState string
	UpdatedAt                                     time.Time
}

// stackContainers is what the containers handler does: the stack's tasks joined with their
// service's name and their node's hostname.
func stackContainers(s *state.Store, stack string) []container {
	tasks := s.TasksByStack(nil, stack)
	out := make([]container, 0, len(tasks))
	for _, t := range tasks {
		c := container{ID: t.ID, Image: t.Raw.Spec.ContainerSpec.Image, State: t.State, DesiredState: t.DesiredState, UpdatedAt: t.Raw.Status.Timestamp}
		if svc := s.ServiceByID(nil, t.ServiceID); svc != nil {
			c.Service = svc.Name
		}
		if n := s.NodeByID(nil, t.NodeID); n != nil {
			c.Node = n.Hostname
		}
		out = append(out, c)
	}
	return out
}

func BenchmarkStackContainers(b *testing.B) {
	snap := statetest.Synthetic(benchNodes, benchStacks, benchServices, benchTasks)
	start := time.Now()
	s := state.New()
	if err := s.ReplaceAll(snap); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	wantRows := benchTasks / benchStacks
	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		rows := stackContainers(s, fmt.Sprintf("stack%03d", i%benchStacks))
		durations = append(durations, time.Since(start))
		if len(rows) != wantRows || rows[0].Node == "" || rows[0].Service == "" {
			b.Fatalf("got %d rows (first %+v), want %d joined rows", len(rows), rows[0], wantRows)
		}
	}
	slices.Sort(durations)
	p99 := durations[len(durations)*99/100]
	// Reported after the loop: b.Loop starts with ResetTimer, which clears user metrics.
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(load.Milliseconds()), "load-ms")
}

// BenchmarkResyncUnchanged measures the periodic resync when nothing changed: a full
// ReplaceAll that must leave the index alone.
func BenchmarkResyncUnchanged(b *testing.B) {
	snap := statetest.Synthetic(benchNodes, benchStacks, benchServices, benchTasks)
	s := state.New()
	if err := s.ReplaceAll(snap); err != nil {
		b.Fatal(err)
	}
	index := s.Index()
	for b.Loop() {
		if err := s.ReplaceAll(snap); err != nil {
			b.Fatal(err)
		}
	}
	if s.Index() != index {
		b.Fatalf("index moved from %d to %d on an unchanged resync", index, s.Index())
	}
}

// BenchmarkCounts measures the dashboard counters, which walk every table.
func BenchmarkCounts(b *testing.B) {
	s := state.New()
	if err := s.ReplaceAll(statetest.Synthetic(benchNodes, benchStacks, benchServices, benchTasks)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if c := s.Counts(nil); c.Tasks != benchTasks || c.Stacks != benchStacks {
			b.Fatalf("counts %+v", c)
		}
	}
}
