package scaler

import (
	"fmt"
	"math"
	"time"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// Step is how far one step moves: a count, or a percentage of the current replicas.
type Step composeext.AutoscaleStep

// of returns the step's size at current replicas: at least 1.
func (s Step) of(current uint64) uint64 {
	n := s.Count
	if s.Percent > 0 {
		n = uint64(math.Ceil(float64(current) * float64(s.Percent) / 100))
	}
	return max(n, 1)
}

// Policy bounds and paces the scaling of one service.
type Policy struct {
	Min, Max     uint64
	Up, Down     Step
	CooldownUp   time.Duration
	CooldownDown time.Duration // also the scale-down stabilization window
	DryRun       bool
	FromLabels   bool // the service carries io.exos.autoscale=true
	hasMax       bool
}

// PolicyFromLabels reads a service's io.exos.autoscale.* labels (through compose-ext,
// which owns their format). A service without io.exos.autoscale=true has no policy of its
// own (FromLabels false, no error): it gets the defaults, min 1 and no max.
func PolicyFromLabels(labels map[string]string) (Policy, error) {
	a, ok, err := composeext.AutoscaleFromLabels(labels)
	p := Policy{
		Min: 1, Up: Step(a.StepUp), Down: Step(a.StepDown), CooldownUp: a.CooldownUp, CooldownDown: a.CooldownDown,
		DryRun: a.Mode == composeext.AutoscaleDryRun, FromLabels: ok,
	}
	if a.Min != nil {
		p.Min = *a.Min
	}
	if a.Max != nil {
		p.Max, p.hasMax = *a.Max, true
	}
	return p, err
}

// withHook applies a hook's overrides. The result is usable only if it has a max: a
// service with no autoscale policy can be scaled by a hook that names it and sets --max.
func (p Policy) withHook(h api.Hook) (Policy, error) {
	if h.Min != nil {
		p.Min = *h.Min
	}
	if h.Max != nil {
		p.Max, p.hasMax = *h.Max, true
	}
	if h.Step != nil {
		p.Up, p.Down = Step{Count: *h.Step}, Step{Count: *h.Step}
	}
	p.DryRun = p.DryRun || h.DryRun
	switch {
	case !p.hasMax:
		return p, fmt.Errorf("the service has no autoscale policy (io.exos.autoscale labels) and the hook sets no --max")
	case p.Min > p.Max:
		return p, fmt.Errorf("min %d is above max %d", p.Min, p.Max)
	}
	return p, nil
}

// clamp bounds n to [Min, Max].
func (p Policy) clamp(n uint64) uint64 {
	return min(max(n, p.Min), p.Max)
}
