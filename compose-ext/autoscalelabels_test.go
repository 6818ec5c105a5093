package composeext

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestAutoscaleLabelsRoundTrip(t *testing.T) {
	a := &Autoscale{Min: ptr(2), Max: ptr(10), StepUp: "50%", StepDown: "1", CooldownUp: ptr(0 * time.Second),
		CooldownDown: ptr(10 * time.Minute), Mode: AutoscaleDryRun}
	labels := map[string]string{LabelAutoscaleLastUp: `{"to":4}`}
	a.WriteLabels(labels)
	got, ok, err := AutoscaleFromLabels(labels)
	assert.NilError(t, err)
	assert.Check(t, ok)
	assert.Check(t, is.DeepEqual(got, AutoscaleLabels{
		Min: ptr(uint64(2)), Max: ptr(uint64(10)), StepUp: AutoscaleStep{Percent: 50}, StepDown: AutoscaleStep{Count: 1},
		CooldownUp: 0, CooldownDown: 10 * time.Minute, Mode: AutoscaleDryRun, LastUp: `{"to":4}`,
	}))
}

func TestAutoscaleFromLabelsDefaults(t *testing.T) {
	def := AutoscaleLabels{StepUp: AutoscaleStep{Count: 1}, StepDown: AutoscaleStep{Count: 1},
		CooldownUp: time.Minute, CooldownDown: 5 * time.Minute, Mode: AutoscaleEnforce}
	got, ok, err := AutoscaleFromLabels(nil)
	assert.NilError(t, err)
	assert.Check(t, !ok)
	assert.Check(t, is.DeepEqual(got, def))

	got, ok, err = AutoscaleFromLabels(map[string]string{LabelAutoscale: "true", LabelAutoscaleMin: ""})
	assert.NilError(t, err)
	assert.Check(t, ok)
	assert.Check(t, is.DeepEqual(got, def), "an empty label is an absent one")

	// Without a policy the step records are still read: a hook can scale such a service.
	got, ok, _ = AutoscaleFromLabels(map[string]string{LabelAutoscaleLastDown: `{"to":1}`})
	assert.Check(t, !ok)
	assert.Check(t, is.Equal(got.LastDown, `{"to":1}`))
}

func TestAutoscaleFromLabelsNamesEveryBadLabel(t *testing.T) {
	got, ok, err := AutoscaleFromLabels(map[string]string{
		LabelAutoscale: "true", LabelAutoscaleMin: "3", LabelAutoscaleMax: "x", LabelAutoscaleStepUp: "0",
		LabelAutoscaleStepDown: "150%", LabelAutoscaleCooldownUp: "soon", LabelAutoscaleMode: "fast",
	})
	assert.Check(t, ok)
	assert.Check(t, is.Error(err, `label io.exos.autoscale.max: strconv.ParseUint: parsing "x": invalid syntax; `+
		`label io.exos.autoscale.step.up: step "0" must be a positive count or percentage; `+
		`label io.exos.autoscale.cooldown.up: time: invalid duration "soon"; `+
		`label io.exos.autoscale.mode: mode "fast" must be enforce or dry-run`))
	assert.Check(t, is.DeepEqual(got.Min, ptr(uint64(3))), "what can be read is returned")
	assert.Check(t, got.Max == nil)
	assert.Check(t, is.Equal(got.StepDown, AutoscaleStep{Percent: 150}), "labels are read as written, not validated like a file")
	assert.Check(t, is.Equal(got.StepUp, AutoscaleStep{Count: 1}))
}
