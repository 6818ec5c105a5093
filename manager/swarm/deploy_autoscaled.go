package swarm

import (
	"github.com/docker/docker/api/types/swarm"
	composeext "github.com/exos-platform/exos/compose-ext"
)

// keepAutoscaled carries the scaler's work over a redeploy of an autoscaled service. The
// file's replicas were right when the stack was first deployed; since then the scaler has
// moved them, so the service keeps its current replicas (brought within the file's new
// min and max) and the record of its last steps, which cooldowns are measured from.
// Without this every deploy would undo scaling, as `docker stack deploy` does.
func keepAutoscaled(have swarm.ServiceSpec, want *swarm.ServiceSpec) {
	// A label that cannot be read bounds nothing: the file was validated when it was
	// loaded, so only a hand-made label can be bad, and the replicas stay as they are.
	policy, autoscaled, _ := composeext.AutoscaleFromLabels(want.Labels)
	if !autoscaled || want.Mode.Replicated == nil || have.Mode.Replicated == nil || have.Mode.Replicated.Replicas == nil {
		return
	}
	replicas := *have.Mode.Replicated.Replicas
	if policy.Min != nil {
		replicas = max(replicas, *policy.Min)
	}
	if policy.Max != nil {
		replicas = min(replicas, *policy.Max)
	}
	mode := *want.Mode.Replicated
	mode.Replicas = &replicas
	want.Mode.Replicated = &mode
	for _, key := range []string{composeext.LabelAutoscaleLastUp, composeext.LabelAutoscaleLastDown} {
		if v, ok := have.Labels[key]; ok {
			want.Labels[key] = v
		}
	}
}
