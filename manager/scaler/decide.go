package scaler

import (
	"fmt"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// minDedupeWindow is how long an episode that stepped is recognised as a duplicate even
// with a zero cooldown: longer than the stagger between Alertmanager HA peers (15 s).
const minDedupeWindow = 30 * time.Second

// StepRecord is one step EXOS applied (or, in dry-run, would have applied).
type StepRecord struct {
	At      time.Time `json:"at"`
	Episode string    `json:"episode"`
	From    uint64    `json:"from"`
	To      uint64    `json:"to"`
	Hook    string    `json:"hook,omitempty"`
	Alert   string    `json:"alert,omitempty"`
}

// Memory is what EXOS remembers about one service between deliveries.
type Memory struct {
	LastUp, LastDown StepRecord
	// DownSince is when the current unbroken run of down signals began (zero: none).
	DownSince time.Time
}

// Signal is one alert turned into a request to scale one service.
type Signal struct {
	Direction string // api.ActionUp or api.ActionDown
	Episode   string // fingerprint@startsAt: one firing of one alert
	Firing    bool
}

// Input is everything a decision depends on.
type Input struct {
	Now      time.Time
	Policy   Policy
	Replicas uint64 // the service's desired replicas, never its running tasks
	Updating bool   // a rolling update or rollback is in progress
	Signal   Signal
	Memory   Memory
}

// Outcome is a decision: the replicas to set and the memory to keep if it is carried out.
type Outcome struct {
	Decision string
	From, To uint64
	Reason   string
	Memory   Memory
}

// Changes reports whether the outcome asks for an update of the service.
func (o Outcome) Changes() bool { return o.Decision == api.DecisionApplied }

// Decide decides what one signal does to one service. It is pure: same input, same
// outcome.
func Decide(in Input) Outcome {
	out := Outcome{From: in.Replicas, To: in.Replicas, Memory: in.Memory}
	switch {
	case !in.Signal.Firing:
		if in.Signal.Direction == api.ActionDown {
			out.Memory.DownSince = time.Time{}
		}
		return out.with(api.DecisionResolved, "a resolved alert ends its episode; it never scales")
	case in.Signal.Direction == api.ActionUp:
		return decideUp(in, out)
	default:
		return decideDown(in, out)
	}
}

func decideUp(in Input, out Outcome) Outcome {
	// Any up signal breaks a run of down signals: scale-up wins.
	out.Memory.DownSince = time.Time{}
	// At the bound nothing can change: say so first, it is the most useful answer.
	to := in.Policy.clamp(in.Replicas + in.Policy.Up.of(in.Replicas))
	if to <= in.Replicas {
		return out.with(api.DecisionClamped, fmt.Sprintf("already at max %d", in.Policy.Max))
	}
	if o, held := cooldown(in, in.Memory.LastUp, in.Policy.CooldownUp, out); held {
		return o
	}
	if in.Updating {
		return out.with(api.DecisionDeferred, "a rolling update is in progress")
	}
	return step(in, out, to)
}

func decideDown(in Input, out Outcome) Outcome {
	if out.Memory.DownSince.IsZero() {
		out.Memory.DownSince = in.Now
	}
	down := in.Policy.Down.of(in.Replicas)
	to := in.Policy.clamp(in.Replicas - min(down, in.Replicas))
	if to >= in.Replicas {
		return out.with(api.DecisionClamped, fmt.Sprintf("already at min %d", in.Policy.Min))
	}
	if o, held := cooldown(in, in.Memory.LastDown, in.Policy.CooldownDown, out); held {
		return o
	}
	window := in.Policy.CooldownDown
	if held := in.Now.Sub(out.Memory.DownSince); held < window {
		return out.with(api.DecisionStabilizing, fmt.Sprintf("down signal held %s of the %s stabilization window", held.Round(time.Second), window))
	}
	if in.Updating {
		return out.with(api.DecisionDeferred, "a rolling update is in progress")
	}
	return step(in, out, to)
}

// cooldown holds a signal that comes too soon after the last step in its direction: a
// duplicate when it is the same episode, a cooldown otherwise.
func cooldown(in Input, last StepRecord, period time.Duration, out Outcome) (Outcome, bool) {
	if last.At.IsZero() {
		return out, false
	}
	since := in.Now.Sub(last.At)
	if last.Episode == in.Signal.Episode && since < max(period, minDedupeWindow) {
		return out.with(api.DecisionDuplicate, fmt.Sprintf("this alert episode already stepped %s %s ago", in.Signal.Direction, since.Round(time.Second))), true
	}
	if since < period {
		return out.with(api.DecisionCooldown, fmt.Sprintf("last step %s was %s ago; cooldown is %s", in.Signal.Direction, since.Round(time.Second), period)), true
	}
	return out, false
}

func step(in Input, out Outcome, to uint64) Outcome {
	rec := StepRecord{At: in.Now, Episode: in.Signal.Episode, From: in.Replicas, To: to}
	if in.Signal.Direction == api.ActionUp {
		out.Memory.LastUp = rec
	} else {
		out.Memory.LastDown = rec
	}
	out.To = to
	if in.Policy.DryRun {
		return out.with(api.DecisionDryRun, fmt.Sprintf("dry-run: would scale %s from %d to %d", in.Signal.Direction, in.Replicas, to))
	}
	return out.with(api.DecisionApplied, fmt.Sprintf("scaled %s from %d to %d", in.Signal.Direction, in.Replicas, to))
}

func (o Outcome) with(decision, reason string) Outcome {
	o.Decision, o.Reason = decision, reason
	return o
}
