package swarm

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// Drift sees what users change natively and nothing a deploy would leave alone.
func TestDrift(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	stack := testStack()
	apply(t, d, stack, 3)
	want := DesiredServices(stack)
	web := serviceByName(f, "st_web")
	assert.Check(t, is.Len(Drift(web, want["st_web"]), 0), "as deployed: no drift")

	for name, tc := range map[string]struct {
		change func(*swarm.ServiceSpec)
		fields []string
	}{
		"image updated natively": {
			change: func(s *swarm.ServiceSpec) { s.TaskTemplate.ContainerSpec.Image = "exos/busybox:2" },
			fields: []string{"TaskTemplate.ContainerSpec.Image"},
		},
		"digest resolved by Swarm": {
			change: func(s *swarm.ServiceSpec) {
				s.TaskTemplate.ContainerSpec.Image = "exos/busybox:1@sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"
			},
		},
		"scaled natively": {
			change: func(s *swarm.ServiceSpec) { three := uint64(3); s.Mode.Replicated.Replicas = &three },
			fields: []string{"Mode.Replicated.Replicas"},
		},
		"label added and env changed": {
			change: func(s *swarm.ServiceSpec) {
				s.Labels["team"] = "ops"
				s.TaskTemplate.ContainerSpec.Env = []string{"A=1"}
			},
			fields: []string{"Labels.team", "TaskTemplate.ContainerSpec.Env"},
		},
		"network added": {
			change: func(s *swarm.ServiceSpec) {
				s.TaskTemplate.Networks = append(s.TaskTemplate.Networks, swarm.NetworkAttachmentConfig{Target: "other"})
			},
			fields: []string{"TaskTemplate.Networks"},
		},
		"platforms set by a native resolve of the same image": {
			change: func(s *swarm.ServiceSpec) {
				s.TaskTemplate.Placement = &swarm.Placement{Platforms: []swarm.Platform{{OS: "linux", Architecture: "amd64"}}}
			},
		},
		"image updated natively, with its platforms": {
			change: func(s *swarm.ServiceSpec) {
				s.TaskTemplate.ContainerSpec.Image = "exos/busybox:2"
				s.TaskTemplate.Placement = &swarm.Placement{Platforms: []swarm.Platform{{OS: "linux"}}}
			},
			fields: []string{"TaskTemplate.ContainerSpec.Image"},
		},
		"constraint added natively, platforms kept": {
			change: func(s *swarm.ServiceSpec) {
				s.TaskTemplate.Placement = &swarm.Placement{Constraints: []string{"node.role==worker"}, Platforms: []swarm.Platform{{OS: "linux"}}}
			},
			fields: []string{"TaskTemplate.Placement.Constraints"},
		},
		"force update and revision label": {
			change: func(s *swarm.ServiceSpec) { s.TaskTemplate.ForceUpdate = 4; s.Labels[LabelRevision] = "9" },
		},
	} {
		t.Run(name, func(t *testing.T) {
			changed := deepCopy(web)
			tc.change(&changed.Spec)
			assert.Check(t, is.DeepEqual(Drift(changed, want["st_web"]), tc.fields))
		})
	}
}

// The platforms a deploy set are no drift when the service lost them either (Swarm's
// rollback to a spec made before EXOS set them).
func TestDriftLeavesThePlatformsOut(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	stack := testStack()
	stack.Services[0].Spec.TaskTemplate.Placement = &swarm.Placement{
		Constraints: []string{"node.role==manager"}, Platforms: []swarm.Platform{{OS: "linux", Architecture: "amd64"}}}
	apply(t, d, stack, 3)
	want := DesiredServices(stack)
	web := serviceByName(f, stack.Name+"_"+stack.Services[0].Name)
	assert.Check(t, is.Len(Drift(web, want[web.Spec.Name]), 0), "as deployed: no drift")
	web.Spec.TaskTemplate.Placement.Platforms = nil
	assert.Check(t, is.Len(Drift(web, want[web.Spec.Name]), 0))
	web.Spec.TaskTemplate.Placement = nil
	assert.Check(t, is.DeepEqual(Drift(web, want[web.Spec.Name]), []string{"TaskTemplate.Placement"}), "the rest of the placement is compared")
}

func TestSameImage(t *testing.T) {
	digest := "@sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"
	for _, tc := range []struct {
		running, named string
		same           bool
	}{
		{"nginx:1.25", "nginx:1.25", true},
		{"nginx:1.25" + digest, "nginx:1.25", true},
		{"nginx:latest" + digest, "nginx", true},
		{"docker.io/library/nginx:1.25" + digest, "nginx:1.25", true},
		{"nginx:1.26" + digest, "nginx:1.25", false},
		{"nginx:1.25", "nginx:1.26", false},
		{"nginx" + digest, "nginx" + digest, true},
		{"nginx:1.25" + digest, "nginx" + digest, false},
	} {
		assert.Check(t, is.Equal(sameImage(tc.running, tc.named), tc.same), "%s vs %s", tc.running, tc.named)
	}
}
