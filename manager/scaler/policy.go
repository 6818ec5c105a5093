package scaler

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// Defaults of a policy field its labels leave out (the reference HPA-like values).
const (
	defaultCooldownUp   = time.Minute
	defaultCooldownDown = 5 * time.Minute
)

// Step is how far one step moves: a count, or a percentage of the current replicas.
type Step struct {
	Count   uint64
	Percent uint64
}

// of returns the step's size at current replicas: at least 1.
func (s Step) of(current uint64) uint64 {
	n := s.Count
	if s.Percent > 0 {
		n = uint64(math.Ceil(float64(current) * float64(s.Percent) / 100))
	}
	return max(n, 1)
}

func parseStep(v string) (Step, error) {
	if v == "" {
		return Step{Count: 1}, nil
	}
	if pct, ok := strings.CutSuffix(v, "%"); ok {
		n, err := strconv.ParseUint(pct, 10, 32)
		if err != nil || n == 0 {
			return Step{}, fmt.Errorf("step %q must be a positive count or percentage", v)
		}
		return Step{Percent: n}, nil
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		return Step{}, fmt.Errorf("step %q must be a positive count or percentage", v)
	}
	return Step{Count: n}, nil
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

// PolicyFromLabels reads a service's io.exos.autoscale.* labels. A service without
// io.exos.autoscale=true has no policy of its own (FromLabels false, no error).
func PolicyFromLabels(labels map[string]string) (Policy, error) {
	p := Policy{Min: 1, Up: Step{Count: 1}, Down: Step{Count: 1}, CooldownUp: defaultCooldownUp, CooldownDown: defaultCooldownDown}
	if labels[composeext.LabelAutoscale] != "true" {
		return p, nil
	}
	p.FromLabels = true
	var errs []string
	parse := func(key string, set func(string) error) {
		if v, ok := labels[key]; ok && v != "" {
			if err := set(v); err != nil {
				errs = append(errs, fmt.Sprintf("label %s: %v", key, err))
			}
		}
	}
	parse(composeext.LabelAutoscaleMin, func(v string) (err error) { p.Min, err = strconv.ParseUint(v, 10, 64); return })
	parse(composeext.LabelAutoscaleMax, func(v string) (err error) { p.Max, err = strconv.ParseUint(v, 10, 64); p.hasMax = true; return })
	parse(composeext.LabelAutoscaleStepUp, func(v string) (err error) { p.Up, err = parseStep(v); return })
	parse(composeext.LabelAutoscaleStepDown, func(v string) (err error) { p.Down, err = parseStep(v); return })
	parse(composeext.LabelAutoscaleCooldownUp, func(v string) (err error) { p.CooldownUp, err = time.ParseDuration(v); return })
	parse(composeext.LabelAutoscaleCooldownDown, func(v string) (err error) { p.CooldownDown, err = time.ParseDuration(v); return })
	parse(composeext.LabelAutoscaleMode, func(v string) error {
		if v != composeext.AutoscaleEnforce && v != composeext.AutoscaleDryRun {
			return fmt.Errorf("mode %q must be enforce or dry-run", v)
		}
		p.DryRun = v == composeext.AutoscaleDryRun
		return nil
	})
	if len(errs) > 0 {
		return p, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return p, nil
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
