package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/scaler"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// The flood: floodServices autoscaled services (min 1, max 5, cooldown up 1 h) receive
// floodEpisodes distinct firing up-alerts, each delivered floodCopies times (90%
// duplicates), shuffled, from 8 concurrent senders over loopback HTTP. The ideal is one
// step per service: the cooldown allows no second one.
const (
	floodServices = 10
	floodEpisodes = 1000
	floodCopies   = 10
	floodSenders  = 8
)

// BenchmarkHookFlood reports requests/s, p50/p99 of the handler (server side) and of the
// round trip (client side), steps taken vs ideal, and whether replicas stayed in bounds.
// The per-hook rate limit (50/s in production) is off: the flood measures the handler.
func BenchmarkHookFlood(b *testing.B) {
	for range b.N {
		r := runFlood(b)
		b.ReportMetric(r.perSecond, "req/s")
		b.ReportMetric(r.handlerP50, "handler-p50-ms")
		b.ReportMetric(r.handlerP99, "handler-p99-ms")
		b.ReportMetric(r.clientP99, "roundtrip-p99-ms")
		b.ReportMetric(float64(r.steps), "steps")
		b.ReportMetric(floodServices, "ideal-steps")
		b.ReportMetric(float64(r.outOfBounds), "out-of-bounds")
	}
}

type floodResult struct {
	perSecond, handlerP50, handlerP99, clientP99 float64
	steps, outOfBounds                           int
}

func runFlood(b *testing.B) floodResult {
	index := state.New()
	engine := &floodEngine{services: map[string]swarm.Service{}, index: index}
	for i := range floodServices {
		engine.add(fmt.Sprintf("svc%d", i), fmt.Sprintf("flood_web%d", i))
	}
	sc := scaler.New(scaler.Config{Index: index, Engine: engine, Objects: floodObjects{}, Locks: &floodLocks{}, Now: time.Now, Log: slog.New(slog.DiscardHandler)})
	hook, err := sc.CreateHook(context.Background(), api.HookCreateRequest{Kind: "scale", Action: api.ActionAuto}, "admin", "")
	if err != nil {
		b.Fatal(err)
	}
	// Deliveries carry their hook's token: no API caller authenticates. The stacks answer
	// the environment of what a delivery scaled, for its audit event.
	swarmEngine := swarmtest.NewEngine()
	log := slog.New(slog.DiscardHandler)
	stackService := stacks.New(index, persist.New(swarmEngine), exswarm.NewDeployer(swarmEngine), time.Now, log)
	srv := server.New(server.Config{Store: index, Scaling: sc, Stacks: stackService, Authenticator: nobody{}, Log: log})
	srv.SetReady()
	var mu sync.Mutex
	var handler []time.Duration
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		mu.Lock()
		handler = append(handler, time.Since(start))
		mu.Unlock()
	}))
	defer ts.Close()

	bodies := floodBodies()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: floodSenders}}
	url := ts.URL + hook.Path
	var roundtrips []time.Duration
	work := make(chan []byte)
	var wg sync.WaitGroup
	begin := time.Now()
	for range floodSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range work {
				start := time.Now()
				if err := floodPost(client, url, hook.Token, body); err != nil {
					b.Error(err)
				}
				mu.Lock()
				roundtrips = append(roundtrips, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	for _, body := range bodies {
		work <- body
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(begin)
	return floodResult{
		perSecond: float64(len(bodies)) / elapsed.Seconds(), handlerP50: percentile(handler, 50),
		handlerP99: percentile(handler, 99), clientP99: percentile(roundtrips, 99),
		steps: engine.updates, outOfBounds: engine.outOfBounds,
	}
}

func floodBodies() [][]byte {
	startsAt := time.Now().UTC().Add(-time.Minute)
	var bodies [][]byte
	for e := range floodEpisodes {
		body, _ := json.Marshal(map[string]any{
			"version": "4", "status": "firing", "receiver": "exos", "groupKey": "{}:{}",
			"alerts": []map[string]any{{
				"status": "firing", "startsAt": startsAt.Add(time.Duration(e) * time.Millisecond), "fingerprint": fmt.Sprintf("fp%d", e),
				"labels": map[string]string{"alertname": "Busy", "service": fmt.Sprintf("flood_web%d", e%floodServices), "scale": "up"},
			}},
		})
		for range floodCopies {
			bodies = append(bodies, body)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(bodies), func(i, j int) { bodies[i], bodies[j] = bodies[j], bodies[i] })
	return bodies
}

func floodPost(client *http.Client, url, token string, body []byte) error {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, out.String())
	}
	return nil
}

func percentile(ds []time.Duration, p int) float64 {
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return float64(sorted[(len(sorted)-1)*p/100].Microseconds()) / 1000
}

// floodEngine is an in-memory swarm: the flood measures EXOS, not Docker.
type floodEngine struct {
	mu          sync.Mutex
	services    map[string]swarm.Service
	index       *state.Store
	updates     int
	outOfBounds int
}

func (f *floodEngine) add(id, name string) {
	one := uint64(1)
	spec := swarm.ServiceSpec{Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &one}}}
	spec.Name = name
	spec.Labels = map[string]string{
		"com.docker.stack.namespace": "flood", "io.exos.autoscale": "true", "io.exos.autoscale.min": "1",
		"io.exos.autoscale.max": "5", "io.exos.autoscale.cooldown.up": "1h",
	}
	svc := swarm.Service{ID: id, Spec: spec}
	f.services[id] = svc
	_ = f.index.UpsertServices(state.NewService(svc))
}

func (f *floodEngine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.services[id], nil, nil
}

func (f *floodEngine) ServiceUpdate(_ context.Context, id string, _ swarm.Version, spec swarm.ServiceSpec, _ swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	svc := f.services[id]
	svc.Spec = spec
	svc.Version.Index++
	f.services[id] = svc
	f.updates++
	if n := *spec.Mode.Replicated.Replicas; n < 1 || n > 5 {
		f.outOfBounds++
	}
	return swarm.ServiceUpdateResponse{}, f.index.UpsertServices(state.NewService(svc))
}

type floodObjects struct{}

func (floodObjects) Put(context.Context, string, string, []byte, map[string]string) error { return nil }
func (floodObjects) Delete(context.Context, string, string) error                         { return nil }
func (floodObjects) List(context.Context, string) ([]persist.Object, error)               { return nil, nil }

type floodLocks struct{ m sync.Map }

func (l *floodLocks) Lock(stack string) func() {
	mu, _ := l.m.LoadOrStore(stack, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// nobody authenticates no API caller.
type nobody struct{}

func (nobody) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "no API caller in this benchmark")
}
