//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
)

// What users change natively are facts: after `docker stack rm`, `docker service rm`,
// `docker service update --image`, a native `docker stack deploy` of a changed file and
// a rollout Swarm rolled back, neither a manager killed with SIGKILL nor a clean restart
// changes anything on the swarm. EXOS reports each change instead.
func TestNativeChangesSurviveManagerRestarts(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	ctx := context.Background()
	for _, stack := range []string{"gone", "lost", "imaged", "native"} {
		e.run("stack", "deploy", "-c", "../testdata/e2e/native/web.yml", stack).Assert(t, icmd.Success)
	}
	e.run("stack", "deploy", "-c", "../testdata/e2e/native/rollout-v1.yml", "--wait", "rolled").Assert(t, icmd.Success)

	e.docker("stack", "rm", "gone").Assert(t, icmd.Success)
	e.docker("service", "rm", "lost_db").Assert(t, icmd.Success)
	e.docker("service", "update", "--detach", "--no-resolve-image", "--image", "exos/busybox:2", "imaged_web").Assert(t, icmd.Success)
	e.docker("stack", "deploy", "--resolve-image", "never", "-c", "../testdata/e2e/native/web-changed.yml", "native").Assert(t, icmd.Success)
	failed := e.run("stack", "deploy", "-c", "../testdata/e2e/native/rollout-v2.yml", "--wait", "--timeout", "2m", "rolled")
	assert.Check(t, failed.ExitCode != 0, "a rolled-back rollout does not converge: %s", failed.Combined())
	e.waitRevisionState(t, "rolled", 2, api.RevisionFailed)
	e.waitGone(t, "gone")

	// Swarm itself writes a service while it rolls an update out: the native updates
	// must be over before the snapshot that nothing may change.
	e.waitUpdatesSettled(t)
	before := e.serviceSpecs(t)
	e.killManager()
	e.checkNativeChangesKept(t, before)
	e.restartManager()
	e.checkNativeChangesKept(t, before)

	rev, err := e.api.StackRevision(ctx, "rolled", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Contains(rev.Reason, "service rolled_app: Swarm rolled the update back"))
	// On request, EXOS brings a removed stack back.
	e.run("stack", "deploy", "-c", "../testdata/e2e/native/web.yml", "--wait", "gone").Assert(t, icmd.Success)
}

// checkNativeChangesKept asserts the swarm's services are exactly as before (spec and
// version: nothing wrote them) and that EXOS reports each native change.
func (e *exos) checkNativeChangesKept(t *testing.T, before map[string]string) {
	t.Helper()
	assert.Check(t, is.DeepEqual(e.serviceSpecs(t), before))
	stacks, err := e.api.ListStacks(context.Background())
	assert.NilError(t, err)
	byName := map[string]api.Stack{}
	for _, s := range stacks {
		byName[s.Name] = s
	}
	assert.Check(t, is.Equal(byName["gone"].State, api.StackRemoved))
	assert.Check(t, is.DeepEqual(byName["lost"].Drift, []api.Drift{{Service: "lost_db", Kind: api.DriftRemoved}}))
	assert.Check(t, is.DeepEqual(byName["imaged"].Drift, []api.Drift{{Service: "imaged_web", Kind: api.DriftUpdated, Fields: []string{"TaskTemplate.ContainerSpec.Image"}}}))
	assert.Check(t, is.Equal(byName["imaged"].State, api.RevisionApplied), "a native update that fails is not the revision's failure")
	assert.Check(t, is.Len(byName["native"].Drift, 2))
	for _, d := range byName["native"].Drift {
		assert.Check(t, is.Contains(d.Fields, "TaskTemplate.ContainerSpec.Args.1"))
	}
	assert.Check(t, is.Equal(byName["rolled"].State, api.RevisionFailed))
	assert.Check(t, is.Len(byName["rolled"].Drift, 1))
}

// waitUpdatesSettled waits until Swarm rolls no service's update out (or back).
func (e *exos) waitUpdatesSettled(t *testing.T) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		services, err := e.engine.ServiceList(context.Background(), swarm.ServiceListOptions{})
		if err != nil {
			return poll.Continue("services: %v", err)
		}
		for _, s := range services {
			if u := s.UpdateStatus; u != nil && (u.State == swarm.UpdateStateUpdating || u.State == swarm.UpdateStateRollbackStarted) {
				return poll.Continue("%s: update %s", s.Spec.Name, u.State)
			}
		}
		return poll.Success()
	}, poll.WithTimeout(2*time.Minute), poll.WithDelay(250*time.Millisecond))
}

// serviceSpecs returns every service's spec and version, by name.
func (e *exos) serviceSpecs(t *testing.T) map[string]string {
	t.Helper()
	services, err := e.engine.ServiceList(context.Background(), swarm.ServiceListOptions{})
	assert.NilError(t, err)
	out := map[string]string{}
	for _, s := range services {
		if s.Spec.Name == "exos_manager" {
			continue
		}
		spec, err := json.Marshal(s.Spec)
		assert.NilError(t, err)
		out[s.Spec.Name] = fmt.Sprintf("version %d: %s", s.Version.Index, spec)
	}
	return out
}

// restartManager restarts the manager cleanly, as `docker service update --force` does,
// and waits until the new task answers.
func (e *exos) restartManager() {
	old, ok := e.managerTask()
	assert.Assert(e.t, ok, "exos_manager has no running task")
	e.docker("service", "update", "--detach", "--force", "exos_manager").Assert(e.t, icmd.Success)
	e.waitHealthy(func() bool {
		cur, ok := e.managerTask()
		return ok && cur.ID != old.ID
	})
}

func (e *exos) waitRevisionState(t *testing.T, stack string, number int, state string) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		rev, err := e.api.StackRevision(context.Background(), stack, number)
		if err != nil {
			return poll.Continue("%v", err)
		}
		if rev.State != state {
			return poll.Continue("revision %d of %s is %s", number, stack, rev.State)
		}
		return poll.Success()
	}, poll.WithTimeout(2*time.Minute), poll.WithDelay(250*time.Millisecond))
}

// A deploy right after `docker stack rm` of the same stack, while Swarm still removes
// its network, goes through.
func TestDeployRightAfterDockerStackRm(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.run("stack", "deploy", "-c", "../testdata/e2e/native/web.yml", "--wait", "shop").Assert(t, icmd.Success)
	e.docker("stack", "rm", "shop").Assert(t, icmd.Success)
	res := e.run("stack", "deploy", "-c", "../testdata/e2e/native/web.yml", "--wait", "shop")
	res.Assert(t, icmd.Success)
	services, err := e.engine.ServiceList(context.Background(), swarm.ServiceListOptions{
		Filters: filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace=shop"))})
	assert.NilError(t, err)
	assert.Check(t, is.Len(services, 2))
}
