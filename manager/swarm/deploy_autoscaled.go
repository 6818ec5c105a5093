package swarm

import (
	"strconv"

	"github.com/docker/docker/api/types/swarm"
	composeext "github.com/exos-platform/exos/compose-ext"
)

// keepAutoscaled carries the scaler's work over a redeploy of an autoscaled service. The
// file's replicas were right when the stack was first deployed; since then the scaler has
// moved them, so the service keeps its current replicas (brought within the file's new
// min and max) and the record of its last steps, which cooldowns are measured from.
// Without this every deploy would undo scaling, as `docker stack deploy` does.
func keepAutoscaled(have swarm.ServiceSpec, want *swarm.ServiceSpec) {
	if want.Labels[composeext.LabelAutoscale] != "true" || want.Mode.Replicated == nil ||
		have.Mode.Replicated == nil || have.Mode.Replicated.Replicas == nil {
		return
	}
	replicas := *have.Mode.Replicated.Replicas
	if lo, err := strconv.ParseUint(want.Labels[composeext.LabelAutoscaleMin], 10, 64); err == nil {
		replicas = max(replicas, lo)
	}
	if hi, err := strconv.ParseUint(want.Labels[composeext.LabelAutoscaleMax], 10, 64); err == nil {
		replicas = min(replicas, hi)
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
