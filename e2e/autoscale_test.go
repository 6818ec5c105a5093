//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// hookSecret is `hook create --format json`.
type hookSecret struct {
	ID, URL, Token string
}

// deployAutoscaled deploys testdata/e2e/autoscale.yml as stack demo and creates an auto
// hook for demo_web through the plugin.
func deployAutoscaled(t *testing.T, e *exos) hookSecret {
	e.run("stack", "deploy", "-c", "../testdata/e2e/autoscale.yml", "--wait", "demo").Assert(t, icmd.Success)
	res := e.run("hook", "create", "scale", "--action", "auto", "--service", "demo_web", "--format", "json")
	res.Assert(t, icmd.Success)
	var h hookSecret
	assert.NilError(t, json.Unmarshal([]byte(res.Stdout()), &h), res.Stdout())
	return h
}

func (e *exos) replicas(service string) uint64 {
	svc, _, err := e.engine.ServiceInspectWithRaw(context.Background(), service, swarm.ServiceInspectOptions{})
	assert.NilError(e.t, err)
	return *svc.Spec.Mode.Replicated.Replicas
}

// watchBounds samples the service's replicas until the test ends and fails it if they
// ever leave [lo, hi].
func (e *exos) watchBounds(t *testing.T, service string, lo, hi uint64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			svc, _, err := e.engine.ServiceInspectWithRaw(context.Background(), service, swarm.ServiceInspectOptions{})
			if err == nil {
				if n := *svc.Spec.Mode.Replicated.Replicas; n < lo || n > hi {
					t.Errorf("replicas of %s left [%d, %d]: %d", service, lo, hi, n)
				}
			}
		}
	}()
	t.Cleanup(func() { close(done); wg.Wait() })
}

// waitDecision waits until the hook's history holds a decision for which ok is true.
func (e *exos) waitDecision(t testing.TB, hook string, timeout time.Duration, what string, ok func(api.ScaleDecision) bool) api.ScaleDecision {
	t.Helper()
	var found api.ScaleDecision
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		hist, err := e.api.ScaleHistory(context.Background(), hook, "")
		if err != nil {
			return poll.Continue("history: %v", err)
		}
		for _, d := range hist {
			if ok(d) {
				found = d
				return poll.Success()
			}
		}
		return poll.Continue("waiting for %s", what)
	}, poll.WithTimeout(timeout), poll.WithDelay(200*time.Millisecond))
	return found
}

func count(hist []api.ScaleDecision, decision, direction string) int {
	n := 0
	for _, d := range hist {
		if d.Decision == decision && (direction == "" || d.Direction == direction) {
			n++
		}
	}
	return n
}

// Prometheus and Alertmanager, configured exactly as docs/autoscaling.md says, drive a
// service up and down through an EXOS hook: firing scales up, repeats of the same episode
// do not, a resolved alert does not, a sustained down signal scales down only after the
// stabilization window, and replicas never leave [min, max].
func TestAlertmanagerScalesAService(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	h := deployAutoscaled(t, e)
	tokenFile := filepath.Join(t.TempDir(), "exos-hook-token")
	assert.NilError(t, os.WriteFile(tokenFile, []byte(h.Token), 0o600))
	e.watchBounds(t, "demo_web", 1, 3)
	load := serveGauge(t, "app_inflight_requests", 3) // neither busy nor idle
	startMonitoring(t, h.URL, tokenFile, e.caFile, load)

	// Busy: WebBusy fires, and Alertmanager repeats it every 2 s.
	load.value.Store(10)
	first := e.waitDecision(t, h.ID, 60*time.Second, "the first step up", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionApplied && d.Direction == "up"
	})
	assert.Check(t, is.Equal(first.From, uint64(1)))
	assert.Check(t, is.Equal(first.To, uint64(2)))
	assert.Check(t, is.Equal(first.Alert, "WebBusy"))
	// The episode keeps being delivered: duplicates until the 30 s cooldown has passed,
	// then one more step to max, then clamped.
	second := e.waitDecision(t, h.ID, 60*time.Second, "the second step up", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionApplied && d.Direction == "up" && d.To == 3
	})
	assert.Check(t, second.Time.Sub(first.Time) >= 30*time.Second, "stepped again %v after the first step: within the cooldown", second.Time.Sub(first.Time))
	e.waitDecision(t, h.ID, 30*time.Second, "clamped at max", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionClamped && d.Time.After(second.Time)
	})
	hist, err := e.api.ScaleHistory(context.Background(), h.ID, "")
	assert.NilError(t, err)
	assert.Check(t, count(hist, api.DecisionDuplicate, "up") >= 5, "Alertmanager's repeats must be recognised as duplicates: %v", hist)
	assert.Check(t, is.Equal(count(hist, api.DecisionApplied, "up"), 2))

	// Neither busy nor idle: WebBusy resolves, which never scales.
	load.value.Store(3)
	e.waitDecision(t, h.ID, 30*time.Second, "the resolved alert", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionResolved && d.Alert == "WebBusy"
	})
	assert.Check(t, is.Equal(e.replicas("demo_web"), uint64(3)))

	// Idle: WebIdle fires; the down signal must hold 8 s before each step.
	load.value.Store(0)
	firstDown := e.waitDecision(t, h.ID, 30*time.Second, "the first down signal", func(d api.ScaleDecision) bool {
		return d.Alert == "WebIdle"
	})
	assert.Check(t, is.Equal(firstDown.Decision, api.DecisionStabilizing), "the first down signal must not scale: %+v", firstDown)
	down := e.waitDecision(t, h.ID, 60*time.Second, "the step down", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionApplied && d.Direction == "down"
	})
	assert.Check(t, down.Time.Sub(firstDown.Time) >= 8*time.Second, "scaled down %v after the first down signal", down.Time.Sub(firstDown.Time))
	e.waitDecision(t, h.ID, 60*time.Second, "clamped at min", func(d api.ScaleDecision) bool {
		return d.Decision == api.DecisionClamped && d.Direction == "down"
	})
	assert.Check(t, is.Equal(e.replicas("demo_web"), uint64(1)))

	// Every step shows in `stack history` and on /metrics.
	res := e.run("stack", "history", "demo")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "1 -> 2"))
	assert.Check(t, is.Contains(res.Stdout(), "3 -> 2"))
	res = e.run("hook", "history", h.ID)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "stabilizing"))
	assert.Check(t, is.Contains(res.Stdout(), "duplicate"))
	resp, err := e.http.Get(e.api.BaseURL() + "/metrics")
	assert.NilError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Check(t, is.Contains(string(metrics), `exos_scale_decisions_total{decision="applied"} 4`))
}

// A storm of deliveries, many of them duplicates, with the manager killed in the middle:
// after the restart the storm is delivered again, as Alertmanager would retry. No step is
// repeated and none acknowledged is lost.
func TestKilledManagerMidStormNeitherRepeatsNorLosesSteps(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	h := deployAutoscaled(t, e)
	e.watchBounds(t, "demo_web", 1, 3)
	hook := api.HookSecret{Hook: api.Hook{ID: h.ID}, Token: h.Token}
	episode := time.Now().UTC().Add(-time.Minute)
	storm := func() (applied int64) {
		var wg sync.WaitGroup
		for worker := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 40 {
					// 5 distinct episodes of the same alert, each delivered many times.
					resp, err := deliver(e, hook, stormAlert(episode, (worker+i)%5))
					if err == nil && len(resp.Decisions) == 1 && resp.Decisions[0].Decision == api.DecisionApplied {
						atomic.AddInt64(&applied, 1)
					}
				}
			}()
		}
		wg.Wait()
		return applied
	}
	var before int64
	done := make(chan struct{})
	go func() { before = storm(); close(done) }()
	time.Sleep(150 * time.Millisecond)
	e.killManager()
	<-done
	after := storm()

	// The 30 s cooldown allows exactly one step up for the whole storm. It was
	// acknowledged at most once (a step applied just before the kill is acknowledged
	// never: its answer was lost, and its redelivery is a duplicate).
	t.Logf("acknowledged steps: %d before the kill, %d after", before, after)
	assert.Check(t, before+after <= 1)
	assert.Check(t, is.Equal(e.replicas("demo_web"), uint64(2)))
	hist, err := e.api.ScaleHistory(context.Background(), h.ID, "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(count(hist, api.DecisionApplied, "up"), 1), "the history must hold the one step, even if the manager died before writing it")
}
