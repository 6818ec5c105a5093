//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// A stack deployed into env prod runs only on the nodes labelled for prod.
func TestStackInEnvRunsOnlyOnItsNodes(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 3})
	e.run("env", "create", "prod", "--description", "Production").Assert(t, icmd.Success)
	e.run("env", "add-node", "prod", "node3").Assert(t, icmd.Success)

	res := e.run("env", "inspect", "prod")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "node3"))

	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "prod", "--wait", "placed").Assert(t, icmd.Success)

	ctx := context.Background()
	svc, _, err := e.engine.ServiceInspectWithRaw(ctx, "placed_app", swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	assert.Check(t, is.Contains(svc.Spec.TaskTemplate.Placement.Constraints, "node.labels.io.exos.env.prod==true"))
	assert.Check(t, is.Equal(svc.Spec.Labels["io.exos.env"], "prod"))

	node3, _, err := e.engine.NodeInspectWithRaw(ctx, "node3")
	assert.NilError(t, err)
	tasks, err := e.engine.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", "placed_app"), filters.Arg("desired-state", "running"))})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(tasks, 3))
	for _, task := range tasks {
		assert.Check(t, is.Equal(task.NodeID, node3.ID), "task %s runs on the wrong node", task.ID)
		assert.Check(t, is.Equal(task.Status.State, swarm.TaskStateRunning))
	}
	for _, n := range []int{1, 2} {
		containers := e.sw.Client(t, n)
		list, err := containers.ContainerList(ctx, containerListOptions("placed_app"))
		assert.NilError(t, err)
		assert.Check(t, is.Len(list, 0), "node%d runs a prod container", n)
	}

	// node3 is prod's last node: taking it out would stop the stack, so it is refused,
	// naming the stack, and the node keeps its label.
	res = e.run("env", "remove-node", "prod", "node3")
	res.Assert(t, icmd.Expected{ExitCode: 1, Err: "is the last node of environment \"prod\": removing it stops every task of its stacks (placed)"})
	node3, _, err = e.engine.NodeInspectWithRaw(ctx, "node3")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(node3.Spec.Labels["io.exos.env.prod"], "true"))
	res = e.run("env", "remove-node", "prod", "node1")
	res.Assert(t, icmd.Expected{ExitCode: 1, Err: `node "node1" is not a member of environment "prod"`})

	// Forced, it leaves the stack's tasks with no suitable node: Swarm itself enforces the
	// environment.
	e.run("env", "remove-node", "--force", "prod", "node3").Assert(t, icmd.Success)
	e.docker("service", "update", "--force", "--detach", "placed_app").Assert(t, icmd.Success)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		tasks, err := e.engine.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
			filters.Arg("service", "placed_app"), filters.Arg("desired-state", "running"))})
		if err != nil {
			return poll.Error(err)
		}
		for _, task := range tasks {
			if task.Status.State != swarm.TaskStatePending {
				return poll.Continue("task %s is %s", task.ID, task.Status.State)
			}
		}
		return poll.Success()
	}, poll.WithTimeout(60*time.Second), poll.WithDelay(200*time.Millisecond))
}
