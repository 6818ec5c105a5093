package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// The deploy flood: deployFloodStacks stacks, each with one service and one deploy hook,
// receive deployFloodDeliveries pushes in all, from 8 concurrent senders over loopback:
// for each stack, one new digest, sent in every format a hook takes (registry
// notifications, many of them retries of the same event, native bodies with the digest,
// Portainer-style ?tag= resolved through the registry), shuffled. Then a second round
// pushes another digest to every stack the same way. The ideal is one deploy per stack and
// round: every other delivery is a duplicate or a no-op.
const (
	deployFloodStacks     = 4
	deployFloodRounds     = 2
	deployFloodDeliveries = 1000
	deployFloodSenders    = 8
)

// BenchmarkDeployHookFlood reports the handler's p50/p99 (server side), how long the
// deliveries took, and the deploys made against the ideal (distinct digests); it fails
// if they differ.
func BenchmarkDeployHookFlood(b *testing.B) {
	for range b.N {
		r := runDeployFlood(b)
		b.ReportMetric(r.handlerP50, "handler-p50-ms")
		b.ReportMetric(r.handlerP99, "handler-p99-ms")
		b.ReportMetric(r.seconds, "deliveries-s")
		b.ReportMetric(float64(r.deploys), "deploys")
		b.ReportMetric(float64(r.ideal), "ideal-deploys")
		if r.deploys != r.ideal {
			b.Fatalf("%d deploys for %d distinct digests", r.deploys, r.ideal)
		}
	}
}

type deployFloodResult struct {
	handlerP50, handlerP99, seconds float64
	deploys, ideal                  int
}

func runDeployFlood(b *testing.B) deployFloodResult {
	index := state.New()
	log := slog.New(slog.DiscardHandler)
	deployer := &floodDeployer{index: index, locks: &floodLocks{}}
	for i := range deployFloodStacks {
		deployer.add(fmt.Sprintf("dsvc%d", i), fmt.Sprintf("dflood%d", i), floodImage(i, 0))
	}
	swarmEngine := swarmtest.NewEngine()
	stackService := stacks.New(index, persist.New(swarmEngine), exswarm.NewDeployer(swarmEngine), time.Now, log)
	registry := hooks.NewRegistry(floodObjects{}, time.Now)
	deploys := hooks.NewDeploys(hooks.DeployConfig{
		Registry: registry, Objects: floodObjects{}, Resolver: floodResolver{}, Deployer: deployer,
		Stacks: stackService, Swarm: index, Now: time.Now, Log: log,
	})
	secrets := make([]api.HookSecret, deployFloodStacks)
	for i := range secrets {
		var err error
		secrets[i], err = deploys.CreateHook(context.Background(), api.HookCreateRequest{Kind: api.HookKindDeploy, Stack: fmt.Sprintf("dflood%d", i)}, "admin", "")
		if err != nil {
			b.Fatal(err)
		}
	}
	srv := server.New(server.Config{Store: index, Deploys: deploys, Stacks: stackService, Authenticator: nobody{}, Log: log})
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

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: deployFloodSenders}}
	begin := time.Now()
	for round := 1; round <= deployFloodRounds; round++ {
		work := make(chan floodPush)
		var wg sync.WaitGroup
		for range deployFloodSenders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range work {
					if err := deployFloodPost(client, ts.URL, p); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, p := range floodPushes(secrets, round) {
			work <- p
		}
		close(work)
		wg.Wait()
		deploys.Wait() // the round's deploys are made before the next round's pushes
	}
	elapsed := time.Since(begin)
	return deployFloodResult{
		handlerP50: percentile(handler, 50), handlerP99: percentile(handler, 99), seconds: elapsed.Seconds(),
		deploys: deployer.changes(), ideal: deployFloodStacks * deployFloodRounds,
	}
}

type floodPush struct {
	path, token, body string
}

// floodPushes is one round's deliveries, shuffled: for each stack, its new digest in
// every format, registry events repeating a few event IDs as a retrying registry does.
func floodPushes(secrets []api.HookSecret, round int) []floodPush {
	per := deployFloodDeliveries / deployFloodRounds / len(secrets)
	var out []floodPush
	for i, s := range secrets {
		named, digest, _ := strings.Cut(floodImage(i, round), "@")
		at := strings.LastIndex(named, ":")
		repo, tag := named[:at], named[at+1:]
		for k := range per {
			p := floodPush{path: s.Path, token: s.Token}
			switch k % 3 {
			case 0:
				p.body = fmt.Sprintf(`{"events":[{"id":"r%d-s%d-e%d","action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
					`"repository":%q,"tag":%q,"digest":%q},"request":{"host":"reg:5000"}}]}`, round, i, k%7, strings.TrimPrefix(repo, "reg:5000/"), tag, digest)
			case 1:
				p.body = fmt.Sprintf(`{"image":%q,"tag":%q,"digest":%q}`, repo, tag, digest)
			default:
				p.path += "?tag=" + tag
			}
			out = append(out, p)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(round), 7))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func deployFloodPost(client *http.Client, base string, p floodPush) error {
	req, _ := http.NewRequest(http.MethodPost, base+p.path, strings.NewReader(p.body))
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("status %d: %s", resp.StatusCode, out.String())
	}
	return nil
}

// floodImage is stack i's image in round n (0: the one it runs at first), pinned.
func floodImage(i, n int) string {
	return fmt.Sprintf("reg:5000/app%d:%d@sha256:%064x", i, n, i*100+n)
}

// floodResolver resolves the flood's tags as a registry would.
type floodResolver struct{}

func (floodResolver) Resolve(_ context.Context, image, _ string) (string, []api.Platform, bool, error) {
	var i, n int
	if _, err := fmt.Sscanf(image, "reg:5000/app%d:%d", &i, &n); err != nil {
		return "", nil, true, fmt.Errorf("%w: no tag %s", api.ErrUnprocessable, image)
	}
	return floodImage(i, n), []api.Platform{}, true, nil
}

// floodDeployer sets images as stacks.Service.SetImage does, under the stack's lock, on an
// in-memory swarm: the service in the index takes the new image, and a digest the
// service already runs is Unchanged. It counts the deploys that changed something.
type floodDeployer struct {
	index *state.Store
	locks *floodLocks

	mu      sync.Mutex
	changed int
}

func (f *floodDeployer) add(id, stack, image string) {
	one := uint64(1)
	svc := swarm.Service{ID: id}
	svc.Spec.Name = stack + "_web"
	svc.Spec.Labels = map[string]string{"com.docker.stack.namespace": stack}
	svc.Spec.Mode.Replicated = &swarm.ReplicatedService{Replicas: &one}
	svc.Spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: image}
	_ = f.index.UpsertServices(state.NewService(svc))
}

func (f *floodDeployer) SetImage(_ context.Context, stack string, req api.SetImageRequest, _, _ string) (api.SetImageResult, error) {
	defer f.locks.Lock(stack)()
	svc := f.index.ServiceByName(nil, stack+"_"+req.Service)
	if svc == nil {
		return api.SetImageResult{}, api.Errorf(api.ErrNotFound, "no service %s in stack %s", req.Service, stack)
	}
	if svc.Raw.Spec.TaskTemplate.ContainerSpec.Image == req.Image {
		return api.SetImageResult{Image: req.Image, Unchanged: true}, nil
	}
	raw := svc.Raw
	spec := *raw.Spec.TaskTemplate.ContainerSpec
	spec.Image = req.Image
	raw.Spec.TaskTemplate.ContainerSpec = &spec
	raw.Version.Index++
	f.mu.Lock()
	f.changed++
	f.mu.Unlock()
	return api.SetImageResult{Image: req.Image}, f.index.UpsertServices(state.NewService(raw))
}

func (f *floodDeployer) changes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed
}
