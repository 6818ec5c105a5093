package stacks

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func task(id string, spec swarm.TaskSpec, desired, current swarm.TaskState, errMsg string) *state.Task {
	return state.NewTask(swarm.Task{
		ID: id, ServiceID: "s1", Slot: 1, Spec: spec, DesiredState: desired,
		Status: swarm.TaskStatus{State: current, Err: errMsg},
	}, "shop")
}

func TestServiceViewCountsOnlyTasksOfTheCurrentSpec(t *testing.T) {
	svc := state.NewService(statetest.Service("s1", "shop_web", "shop", 2))
	old := swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: "exos/busybox:1"}}
	cur := svc.Raw.Spec.TaskTemplate
	tasks := []*state.Task{
		task("t1", old, swarm.TaskStateRunning, swarm.TaskStateRunning, ""),
		task("t2", cur, swarm.TaskStateRunning, swarm.TaskStateStarting, ""),
		task("t3", cur, swarm.TaskStateShutdown, swarm.TaskStateFailed, "exit 1"),
	}
	v := serviceView(svc, tasks, isCurrent)
	assert.Check(t, is.Equal(v.Desired, 1))
	assert.Check(t, is.Equal(v.Running, 0), "the old spec's running task does not count")

	tasks[1] = task("t2", cur, swarm.TaskStateRunning, swarm.TaskStateRunning, "")
	v = serviceView(svc, tasks, isCurrent)
	assert.Check(t, is.Equal(v.Running, 1))
	assert.Check(t, is.Equal(v.Mode, "replicated"))
	assert.Check(t, is.Equal(v.Image, "exos/busybox:2"))
}

// The Engine API fills defaults into the service's task template but not into its tasks'
// copies (seen on dockerd 20.10); a task must still count as current.
func TestTasksMatchAServiceSpecWithAPIDefaults(t *testing.T) {
	svc := state.NewService(statetest.Service("s1", "shop_web", "shop", 1))
	taskSpec := svc.Raw.Spec.TaskTemplate
	delay := 5 * time.Second
	svc.Raw.Spec.TaskTemplate.RestartPolicy = &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionAny, Delay: &delay}
	svc.Raw.Spec.TaskTemplate.Runtime = swarm.RuntimeContainer
	withDNS := *svc.Raw.Spec.TaskTemplate.ContainerSpec
	withDNS.DNSConfig = &swarm.DNSConfig{}
	svc.Raw.Spec.TaskTemplate.ContainerSpec = &withDNS

	running := task("t1", taskSpec, swarm.TaskStateRunning, swarm.TaskStateRunning, "")
	assert.Check(t, isCurrent(svc, running))
	assert.Check(t, is.Equal(serviceView(svc, []*state.Task{running}, isCurrent).Running, 1))
	assert.Check(t, svc.Raw.Spec.TaskTemplate.ContainerSpec.DNSConfig != nil, "the stored spec is not modified")
}

func TestHealthIsDerivedFromTaskState(t *testing.T) {
	withCheck := swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Healthcheck: &container.HealthConfig{Test: []string{"CMD", "true"}}}}
	noCheck := swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{}}
	for _, tc := range []struct {
		spec  swarm.TaskSpec
		state swarm.TaskState
		err   string
		want  string
	}{
		{noCheck, swarm.TaskStateRunning, "", ""},
		{withCheck, swarm.TaskStateStarting, "", "starting"},
		{withCheck, swarm.TaskStateRunning, "", "healthy"},
		{withCheck, swarm.TaskStateFailed, "task: non-zero exit (137): dockerexec: unhealthy container", "unhealthy"},
		{withCheck, swarm.TaskStateFailed, "task: non-zero exit (1)", ""},
	} {
		raw := swarm.Task{Spec: tc.spec, Status: swarm.TaskStatus{State: tc.state, Err: tc.err}}
		assert.Check(t, is.Equal(healthOf(raw), tc.want), "%s %q", tc.state, tc.err)
	}
}

func TestPortsReadLikeDockerServiceLs(t *testing.T) {
	assert.Check(t, is.Equal(portString(swarm.PortConfig{Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: swarm.PortConfigPublishModeIngress}), "*:8080->80/tcp"))
	assert.Check(t, is.Equal(portString(swarm.PortConfig{Protocol: "udp", TargetPort: 53, PublishedPort: 5353, PublishMode: swarm.PortConfigPublishModeHost}), "5353->53/udp (host)"))
}

func TestCurrentCacheFollowsNewServiceVersions(t *testing.T) {
	cache := newCurrentCache()
	v1 := state.NewService(statetest.Service("s1", "shop_web", "shop", 1))
	running := task("t1", v1.Raw.Spec.TaskTemplate, swarm.TaskStateRunning, swarm.TaskStateRunning, "")
	assert.Check(t, cache.isCurrent(v1, running))
	assert.Check(t, cache.isCurrent(v1, running), "answered again from the cache")

	v2 := state.NewService(statetest.Service("s1", "shop_web", "shop", 2)) // new image, new version
	assert.Check(t, !cache.isCurrent(v2, running))
}
