package scaler

import (
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func testPolicy() Policy {
	return Policy{Min: 2, Max: 6, Up: Step{Count: 2}, Down: Step{Count: 1}, CooldownUp: time.Minute, CooldownDown: 5 * time.Minute, hasMax: true}
}

func up(episode string) Signal {
	return Signal{Direction: api.ActionUp, Episode: episode, Firing: true}
}
func down(episode string) Signal {
	return Signal{Direction: api.ActionDown, Episode: episode, Firing: true}
}

func TestDecide(t *testing.T) {
	stepUpAt := func(at time.Time, episode string) Memory {
		return Memory{LastUp: StepRecord{At: at, Episode: episode, From: 2, To: 4}}
	}
	dryRun := testPolicy()
	dryRun.DryRun = true
	percent := testPolicy()
	percent.Max, percent.Up = 100, Step{Percent: 50}
	cases := []struct {
		name     string
		in       Input
		decision string
		to       uint64
	}{
		{"up steps by step.up", Input{Replicas: 2, Signal: up("a")}, api.DecisionApplied, 4},
		{"up from below min lands within bounds", Input{Replicas: 0, Signal: up("a")}, api.DecisionApplied, 2},
		{"up is clamped to max", Input{Replicas: 5, Signal: up("a")}, api.DecisionApplied, 6},
		{"up at max is clamped, not an error", Input{Replicas: 6, Signal: up("a")}, api.DecisionClamped, 6},
		{"up above max never scales down", Input{Replicas: 9, Signal: up("a")}, api.DecisionClamped, 9},
		{"same episode again is a duplicate", Input{Replicas: 4, Signal: up("a"), Memory: stepUpAt(t0.Add(-10*time.Second), "a")}, api.DecisionDuplicate, 4},
		{"same episode within the dedupe window after a short cooldown", Input{Replicas: 4, Signal: up("a"), Memory: stepUpAt(t0.Add(-20*time.Second), "a"), Policy: Policy{Min: 1, Max: 9, Up: Step{Count: 1}, CooldownUp: 5 * time.Second}}, api.DecisionDuplicate, 4},
		{"another episode within cooldown waits", Input{Replicas: 4, Signal: up("b"), Memory: stepUpAt(t0.Add(-10*time.Second), "a")}, api.DecisionCooldown, 4},
		{"still firing after the cooldown steps again", Input{Replicas: 4, Signal: up("a"), Memory: stepUpAt(t0.Add(-2*time.Minute), "a")}, api.DecisionApplied, 6},
		{"a rolling update defers", Input{Replicas: 2, Updating: true, Signal: up("a")}, api.DecisionDeferred, 2},
		{"resolved never scales", Input{Replicas: 2, Signal: Signal{Direction: api.ActionUp, Episode: "a"}}, api.DecisionResolved, 2},
		{"dry-run computes without applying", Input{Policy: dryRun, Replicas: 2, Signal: up("a")}, api.DecisionDryRun, 4},
		{"percentage steps round up", Input{Policy: percent, Replicas: 3, Signal: up("a")}, api.DecisionApplied, 5},
		{"first down signal starts stabilizing", Input{Replicas: 4, Signal: down("d")}, api.DecisionStabilizing, 4},
		{"down held for the window steps down", Input{Replicas: 4, Signal: down("d"), Memory: Memory{DownSince: t0.Add(-5 * time.Minute)}}, api.DecisionApplied, 3},
		{"down at min is clamped", Input{Replicas: 2, Signal: down("d"), Memory: Memory{DownSince: t0.Add(-6 * time.Minute)}}, api.DecisionClamped, 2},
		{"down within its cooldown waits", Input{Replicas: 4, Signal: down("e"), Memory: Memory{DownSince: t0.Add(-time.Hour), LastDown: StepRecord{At: t0.Add(-time.Minute), Episode: "d"}}}, api.DecisionCooldown, 4},
		{"down during an update defers", Input{Replicas: 4, Updating: true, Signal: down("d"), Memory: Memory{DownSince: t0.Add(-time.Hour)}}, api.DecisionDeferred, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Now = t0
			if in.Policy.Max == 0 {
				in.Policy = testPolicy()
			}
			out := Decide(in)
			assert.Check(t, is.Equal(out.Decision, tc.decision), out.Reason)
			assert.Check(t, is.Equal(out.To, tc.to))
			assert.Check(t, out.Reason != "")
		})
	}
}

// TestUpInterruptsDownStabilization: an up signal resets the down run, so the window
// starts again from the next down signal.
func TestUpInterruptsDownStabilization(t *testing.T) {
	p := testPolicy()
	m := Decide(Input{Now: t0, Policy: p, Replicas: 4, Signal: down("d")}).Memory
	assert.Check(t, is.Equal(m.DownSince, t0))
	o := Decide(Input{Now: t0.Add(4 * time.Minute), Policy: p, Replicas: 4, Signal: up("u"), Memory: m})
	assert.Check(t, is.Equal(o.Decision, api.DecisionApplied))
	o = Decide(Input{Now: t0.Add(6 * time.Minute), Policy: p, Replicas: 6, Signal: down("d"), Memory: o.Memory})
	assert.Check(t, is.Equal(o.Decision, api.DecisionStabilizing), "the up signal must restart the window")
	o = Decide(Input{Now: t0.Add(11 * time.Minute), Policy: p, Replicas: 6, Signal: down("d"), Memory: o.Memory})
	assert.Check(t, is.Equal(o.Decision, api.DecisionApplied))
	assert.Check(t, is.Equal(o.To, uint64(5)))
}

// TestResolvedDownEndsTheRun: a resolved down alert means the low load is over.
func TestResolvedDownEndsTheRun(t *testing.T) {
	p := testPolicy()
	m := Decide(Input{Now: t0, Policy: p, Replicas: 4, Signal: down("d")}).Memory
	m = Decide(Input{Now: t0.Add(time.Minute), Policy: p, Replicas: 4, Signal: Signal{Direction: api.ActionDown, Episode: "d"}, Memory: m}).Memory
	o := Decide(Input{Now: t0.Add(6 * time.Minute), Policy: p, Replicas: 4, Signal: down("d2"), Memory: m})
	assert.Check(t, is.Equal(o.Decision, api.DecisionStabilizing))
}

// TestStormNeverOverscales replays a storm of deliveries, many duplicates, several
// episodes, both directions, minute by minute, and checks every invariant on the way.
func TestStormNeverOverscales(t *testing.T) {
	p := testPolicy()
	replicas, m := uint64(2), Memory{}
	steps := 0
	for sec := 0; sec < 3600; sec += 5 {
		now := t0.Add(time.Duration(sec) * time.Second)
		sig := up("a")
		if sec >= 1800 {
			sig = down("b")
		}
		for dup := 0; dup < 3; dup++ {
			o := Decide(Input{Now: now, Policy: p, Replicas: replicas, Signal: sig, Memory: m})
			if o.Changes() {
				steps++
				assert.Assert(t, dup == 0, "a duplicate delivery stepped at %ds", sec)
				replicas = o.To
			}
			m = o.Memory
			assert.Assert(t, replicas >= p.Min && replicas <= p.Max, "replicas %d out of bounds at %ds", replicas, sec)
		}
	}
	// Up: 2->4->6 (two steps, then clamped). Down after 5 min of stabilization, one
	// step per 5 min cooldown: 6->5->4->3->2 needs 4 steps within the remaining 30 min.
	assert.Check(t, is.Equal(steps, 6))
	assert.Check(t, is.Equal(replicas, uint64(2)))
}

func TestPolicyFromLabels(t *testing.T) {
	p, err := PolicyFromLabels(map[string]string{
		"io.exos.autoscale": "true", "io.exos.autoscale.min": "1", "io.exos.autoscale.max": "8",
		"io.exos.autoscale.step.up": "50%", "io.exos.autoscale.step.down": "1",
		"io.exos.autoscale.cooldown.up": "30s", "io.exos.autoscale.cooldown.down": "2m0s", "io.exos.autoscale.mode": "dry-run",
	})
	assert.NilError(t, err)
	assert.Check(t, p.FromLabels && p.DryRun)
	assert.Check(t, is.Equal(p.Max, uint64(8)))
	assert.Check(t, is.Equal(p.Up, Step{Percent: 50}))
	assert.Check(t, is.Equal(p.CooldownDown, 2*time.Minute))

	_, err = PolicyFromLabels(map[string]string{"io.exos.autoscale": "true", "io.exos.autoscale.max": "x", "io.exos.autoscale.mode": "fast"})
	assert.Check(t, is.ErrorContains(err, "io.exos.autoscale.max"))
	assert.Check(t, is.ErrorContains(err, `mode "fast"`))

	none, err := PolicyFromLabels(nil)
	assert.NilError(t, err)
	_, err = none.withHook(api.Hook{})
	assert.Check(t, is.ErrorContains(err, "sets no --max"))
	five := uint64(5)
	hooked, err := none.withHook(api.Hook{Max: &five, Step: &five})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(hooked.Max, uint64(5)))
	assert.Check(t, is.Equal(hooked.Up.Count, uint64(5)))
}
