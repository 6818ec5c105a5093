package swarm

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func replicatedSpec(replicas uint64, labels map[string]string) swarm.ServiceSpec {
	spec := swarm.ServiceSpec{Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}}}
	spec.Name, spec.Labels = "web_app", labels
	spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: "busybox"}
	return spec
}

func TestRedeployKeepsTheReplicasTheScalerSet(t *testing.T) {
	policy := func(min, max string) map[string]string {
		return map[string]string{"io.exos.autoscale": "true", "io.exos.autoscale.min": min, "io.exos.autoscale.max": max}
	}
	scaled := policy("1", "8")
	scaled["io.exos.autoscale.last.up"] = `{"at":"2026-11-21T12:00:00Z","episode":"a@x","from":2,"to":5}`
	cases := []struct {
		name string
		have swarm.ServiceSpec
		want swarm.ServiceSpec
		out  uint64
	}{
		{"autoscaled keeps its replicas", replicatedSpec(5, scaled), replicatedSpec(2, policy("1", "8")), 5},
		{"new max brings them down", replicatedSpec(5, scaled), replicatedSpec(2, policy("1", "3")), 3},
		{"new min brings them up", replicatedSpec(5, scaled), replicatedSpec(2, policy("7", "9")), 7},
		{"no longer autoscaled: the file wins", replicatedSpec(5, scaled), replicatedSpec(2, map[string]string{}), 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, _ := updatedSpec(tc.have, tc.want, refIDs{})
			assert.Check(t, is.Equal(*next.Mode.Replicated.Replicas, tc.out))
			_, kept := next.Labels["io.exos.autoscale.last.up"]
			assert.Check(t, is.Equal(kept, tc.want.Labels["io.exos.autoscale"] == "true"))
		})
	}
}

// TestRedeployOfAScaledServiceChangesNothing: the same file deployed again after a step
// must not update the service at all.
func TestRedeployOfAScaledServiceChangesNothing(t *testing.T) {
	labels := map[string]string{"io.exos.autoscale": "true", "io.exos.autoscale.min": "1", "io.exos.autoscale.max": "8"}
	have := replicatedSpec(5, map[string]string{"io.exos.autoscale.last.up": `{"to":5}`})
	for k, v := range labels {
		have.Labels[k] = v
	}
	_, action := updatedSpec(have, replicatedSpec(2, labels), refIDs{})
	assert.Check(t, is.Equal(action, ActionUnchanged))
}
