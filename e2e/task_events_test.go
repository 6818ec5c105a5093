//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// TestTaskEventsKeepTheIndexCurrent: with the agents reporting, a container killed on
// node 2 shows in the API as its task failed with the exit code, and its replacement as
// running, and the agent on node 2 forwarded the death; the manager never needed to list
// every task for it (the bench measures that and the latency).
func TestTaskEventsKeepTheIndexCurrent(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 3})
	ctx := context.Background()
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--wait", "shop").Assert(t, icmd.Success)
	node2 := e.nodeID(t, e.sw.Nodes[1].Hostname)
	forwarded := fmt.Sprintf(`exos_agent_task_events_total{node=%q,result="accepted"}`, node2)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if e.metrics()[fmt.Sprintf(`exos_agent_reports_total{node=%q,result="accepted"}`, node2)] < 1 {
			return poll.Continue("node 2's agent has not reported yet")
		}
		return poll.Success()
	}, poll.WithTimeout(time.Minute), poll.WithDelay(500*time.Millisecond))

	victim := e.runningContainerOn(2, "shop_app")
	before := e.metrics()[forwarded]
	engine2 := e.sw.Client(t, 2)
	assert.NilError(t, engine2.ContainerKill(ctx, victim.ID, "KILL"))
	task := victim.Labels["com.docker.swarm.task.id"]

	poll.WaitOn(t, func(poll.LogT) poll.Result {
		containers, _, err := e.api.StackContainers(ctx, "shop", api.QueryOptions{})
		if err != nil {
			return poll.Continue("containers: %v", err)
		}
		var dead, running int
		for _, c := range containers {
			switch {
			case c.ID == task && c.State == "failed" && c.ExitCode == 137:
				dead++
			case c.State == "running" && c.DesiredState == "running":
				running++
			}
		}
		if dead != 1 || running != 3 {
			return poll.Continue("killed task failed: %d, running: %d of 3", dead, running)
		}
		return poll.Success()
	}, poll.WithTimeout(time.Minute), poll.WithDelay(100*time.Millisecond))
	assert.Check(t, e.metrics()[forwarded] > before, "node 2's agent forwarded the container's death")
}

// runningContainerOn is a running container of service on test node n.
func (e *exos) runningContainerOn(n int, service string) container.Summary {
	var found container.Summary
	poll.WaitOn(e.t, func(poll.LogT) poll.Result {
		list, err := e.sw.Client(e.t, n).ContainerList(context.Background(), containerListOptions(service))
		if err != nil || len(list) == 0 {
			return poll.Continue("no %s container on node %d yet (%v)", service, n, err)
		}
		found = list[0]
		return poll.Success()
	}, poll.WithTimeout(time.Minute), poll.WithDelay(200*time.Millisecond))
	return found
}
