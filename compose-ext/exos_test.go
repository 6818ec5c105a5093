package composeext

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestLoadExosKeysMapToSwarm(t *testing.T) {
	in := Input{Stack: "s", ComposeFiles: []File{testFile(t, "compose-base.yml")}, ExosFile: ptr(testFile(t, "exos-compose-good.yml"))}
	st, err := Load(context.Background(), in)
	assert.NilError(t, err)
	web := st.Services[0].Spec
	assert.Check(t, is.Equal(*web.Mode.Replicated.Replicas, uint64(4)), "exos file overrides x-exos scale")
	hc := web.TaskTemplate.ContainerSpec.Healthcheck
	assert.Check(t, is.DeepEqual(hc.Test, []string{"CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/healthz"}))
	assert.Check(t, is.Equal(hc.Interval, 5*time.Second))
	assert.Check(t, is.Equal(hc.Timeout, time.Second))
	assert.Check(t, is.Equal(hc.Retries, 2))
	assert.Check(t, is.Equal(hc.StartPeriod, 20*time.Second))
	assert.Check(t, is.DeepEqual(web.UpdateConfig, &swarm.UpdateConfig{Parallelism: 2, Delay: 3 * time.Second, Order: "start-first"}))
	for k, v := range map[string]string{
		LabelAutoscale: "true", LabelAutoscaleMin: "2", LabelAutoscaleMax: "10",
		LabelAutoscaleStepUp: "50%", LabelAutoscaleStepDown: "1",
		LabelAutoscaleCooldownUp: "1m0s", LabelAutoscaleCooldownDown: "10m0s", LabelAutoscaleMode: "enforce",
	} {
		assert.Check(t, is.Equal(web.Labels[k], v), k)
	}
	worker := st.Services[1].Spec
	assert.Check(t, is.DeepEqual(worker.TaskTemplate.ContainerSpec.Healthcheck.Test, []string{"CMD", "nc", "-z", "127.0.0.1", "6379"}))
	assert.Check(t, is.Equal(st.Catalog["name"], "demo"))
}

func TestPlaceInEnvIsIdempotent(t *testing.T) {
	st, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{testFile(t, "compose-base.yml")}})
	assert.NilError(t, err)
	st.PlaceInEnv("qa")
	st.PlaceInEnv("qa")
	for _, svc := range st.Services {
		assert.Check(t, is.DeepEqual(svc.Spec.TaskTemplate.Placement.Constraints, []string{"node.labels.io.exos.env.qa==true"}))
		assert.Check(t, is.Equal(svc.Spec.Labels[LabelEnv], "qa"))
	}
	assert.Check(t, is.DeepEqual(st.Images(), map[string]string{"web": "exos/busybox:1", "worker": "exos/busybox:1"}))
}

func TestReferencedVariables(t *testing.T) {
	got := ReferencedVariables(File{Name: "a", Content: []byte("services:\n  a:\n    image: x:${TAG:-1}\n    command: $CMD ${B}\n")})
	assert.Check(t, is.DeepEqual(got, []string{"B", "CMD", "TAG"}))
}

// An environment entry without a value takes the caller's value, so it is referenced too.
func TestReferencedVariablesIncludePassThroughEnvironment(t *testing.T) {
	list := File{Name: "a", Content: []byte("services:\n  a:\n    image: x\n    environment:\n      - FROM_LIST\n      - SET=1\n")}
	dict := File{Name: "b", Content: []byte("services:\n  b:\n    image: x\n    environment:\n      FROM_MAP:\n      SET: \"2\"\n")}
	assert.Check(t, is.DeepEqual(ReferencedVariables(list, dict), []string{"FROM_LIST", "FROM_MAP"}))
}

// An explicit zero cooldown is a choice, not an omission: it must not become the default.
func TestZeroCooldownIsKept(t *testing.T) {
	compose := File{Name: "c.yml", Content: []byte("services:\n  web:\n    image: exos/busybox:1\n    x-exos:\n      autoscale: {min: 1, max: 3, cooldown_up: 0s}\n")}
	st, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{compose}})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.Services[0].Spec.Labels[LabelAutoscaleCooldownUp], "0s"))
	assert.Check(t, is.Equal(st.Services[0].Spec.Labels[LabelAutoscaleCooldownDown], "5m0s"))
}
