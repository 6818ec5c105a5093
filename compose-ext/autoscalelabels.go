package composeext

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Service labels that carry the autoscale policy to the manager's scaler; only this file
// writes or parses them. Cooldowns are Go
// durations (time.ParseDuration), steps a count or a percentage.
const (
	LabelAutoscale             = "io.exos.autoscale"
	LabelAutoscaleMin          = "io.exos.autoscale.min"
	LabelAutoscaleMax          = "io.exos.autoscale.max"
	LabelAutoscaleStepUp       = "io.exos.autoscale.step.up"
	LabelAutoscaleStepDown     = "io.exos.autoscale.step.down"
	LabelAutoscaleCooldownUp   = "io.exos.autoscale.cooldown.up"
	LabelAutoscaleCooldownDown = "io.exos.autoscale.cooldown.down"
	LabelAutoscaleMode         = "io.exos.autoscale.mode"
	// The manager's scaler records its last step of each direction on the service, in the
	// same update that changes the replicas; deploys keep these labels.
	LabelAutoscaleLastUp   = "io.exos.autoscale.last.up"
	LabelAutoscaleLastDown = "io.exos.autoscale.last.down"
)

// WriteLabels writes a validated autoscale policy (defaults applied) into labels, which
// the manager's scaler reads back with AutoscaleFromLabels.
func (a *Autoscale) WriteLabels(labels map[string]string) {
	labels[LabelAutoscale] = "true"
	labels[LabelAutoscaleMin] = strconv.Itoa(*a.Min)
	labels[LabelAutoscaleMax] = strconv.Itoa(*a.Max)
	labels[LabelAutoscaleStepUp] = a.StepUp
	labels[LabelAutoscaleStepDown] = a.StepDown
	labels[LabelAutoscaleCooldownUp] = a.CooldownUp.String()
	labels[LabelAutoscaleCooldownDown] = a.CooldownDown.String()
	labels[LabelAutoscaleMode] = a.Mode
}

// AutoscaleLabels is the autoscale policy a service's io.exos.autoscale.* labels carry,
// typed: what WriteLabels writes, read back. This file is the only code that knows the
// label format; the manager's scaler and deployer call it.
type AutoscaleLabels struct {
	// Min and Max are nil when their label is absent (or cannot be read).
	Min, Max *uint64
	// StepUp and StepDown are one replica when their label is absent.
	StepUp, StepDown AutoscaleStep
	// CooldownUp and CooldownDown are Autoscale's defaults (1m, 5m) when absent.
	CooldownUp, CooldownDown time.Duration
	// Mode is AutoscaleEnforce or AutoscaleDryRun; enforce when absent.
	Mode string
	// LastUp and LastDown are the raw records of the scaler's last step in each
	// direction (LabelAutoscaleLastUp, LabelAutoscaleLastDown), "" when absent. The
	// scaler owns their content; deploys only carry them over.
	LastUp, LastDown string
}

// AutoscaleStep is how far one step moves: a count, or a percentage of the current
// replicas. Exactly one is set.
type AutoscaleStep struct {
	Count   uint64
	Percent uint64
}

// Defaults of the policy fields the labels leave out; the same as Autoscale's defaults.
const (
	defaultCooldownUp   = 60 * time.Second
	defaultCooldownDown = 300 * time.Second
)

// AutoscaleFromLabels reads a service's autoscale labels. ok reports whether the service
// has a policy of its own (io.exos.autoscale=true); without one the policy holds the
// defaults and only the step records are read. An unreadable label is an error naming
// it; the labels that could be read are still returned, the others left at their
// defaults (Min and Max nil), so a caller may use what it can.
func AutoscaleFromLabels(labels map[string]string) (a AutoscaleLabels, ok bool, err error) {
	a = AutoscaleLabels{
		StepUp: AutoscaleStep{Count: 1}, StepDown: AutoscaleStep{Count: 1},
		CooldownUp: defaultCooldownUp, CooldownDown: defaultCooldownDown, Mode: AutoscaleEnforce,
		LastUp: labels[LabelAutoscaleLastUp], LastDown: labels[LabelAutoscaleLastDown],
	}
	if labels[LabelAutoscale] != "true" {
		return a, false, nil
	}
	var errs []string
	parse := func(key string, set func(string) error) {
		if v := labels[key]; v != "" {
			if err := set(v); err != nil {
				errs = append(errs, fmt.Sprintf("label %s: %v", key, err))
			}
		}
	}
	parse(LabelAutoscaleMin, func(v string) error { return parseCount(v, &a.Min) })
	parse(LabelAutoscaleMax, func(v string) error { return parseCount(v, &a.Max) })
	parse(LabelAutoscaleStepUp, func(v string) (err error) { a.StepUp, err = parseStep(v, a.StepUp); return })
	parse(LabelAutoscaleStepDown, func(v string) (err error) { a.StepDown, err = parseStep(v, a.StepDown); return })
	parse(LabelAutoscaleCooldownUp, func(v string) error { return parseDuration(v, &a.CooldownUp) })
	parse(LabelAutoscaleCooldownDown, func(v string) error { return parseDuration(v, &a.CooldownDown) })
	parse(LabelAutoscaleMode, func(v string) error {
		if v != AutoscaleEnforce && v != AutoscaleDryRun {
			return fmt.Errorf("mode %q must be enforce or dry-run", v)
		}
		a.Mode = v
		return nil
	})
	if len(errs) > 0 {
		return a, true, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return a, true, nil
}

func parseCount(v string, into **uint64) error {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return err
	}
	*into = &n
	return nil
}

func parseDuration(v string, into *time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return err
	}
	*into = d
	return nil
}

// parseStep reads "2" or "50%"; on error it returns def.
func parseStep(v string, def AutoscaleStep) (AutoscaleStep, error) {
	bad := fmt.Errorf("step %q must be a positive count or percentage", v)
	if pct, isPct := strings.CutSuffix(v, "%"); isPct {
		n, err := strconv.ParseUint(pct, 10, 32)
		if err != nil || n == 0 {
			return def, bad
		}
		return AutoscaleStep{Percent: n}, nil
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		return def, bad
	}
	return AutoscaleStep{Count: n}, nil
}
