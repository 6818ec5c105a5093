//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// A manager killed with SIGKILL at rest comes back with everything it acknowledged: stacks,
// history, environments, and an index rebuilt from the swarm.
func TestKilledManagerLosesNothingAtRest(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	ctx := context.Background()
	e.run("env", "create", "qa").Assert(t, icmd.Success)
	e.run("env", "add-node", "qa", "node1").Assert(t, icmd.Success)
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "qa", "--wait", "shop").Assert(t, icmd.Success)
	e.run("stack", "rollback", "--to", "1", "--wait", "shop").Assert(t, icmd.Success)

	history, err := e.api.StackHistory(ctx, "shop")
	assert.NilError(t, err)
	stacks, err := e.api.ListStacks(ctx)
	assert.NilError(t, err)
	envs, err := e.api.ListEnvironments(ctx)
	assert.NilError(t, err)

	took := e.killManager()
	t.Logf("manager answered /healthz %v after SIGKILL", took)

	afterHistory, err := e.api.StackHistory(ctx, "shop")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(afterHistory, history))
	afterStacks, err := e.api.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(afterStacks, stacks))
	afterEnvs, err := e.api.ListEnvironments(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(afterEnvs, envs))
	containers, _, err := e.api.StackContainers(ctx, "shop", api.QueryOptions{})
	assert.NilError(t, err)
	running := 0
	for _, c := range containers {
		if c.State == "running" && c.Current {
			running++
		}
	}
	assert.Check(t, is.Equal(running, 3), "index rebuilt with the stack's tasks")
}

// A manager killed in the middle of deploys: every acknowledged deploy is on the swarm, and
// an unacknowledged one is either absent or, if its revision was recorded, finished on
// restart. Either way history and swarm agree and nothing is half-applied.
func TestKilledManagerMidDeployLeavesNoHalfStack(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	ctx := context.Background()
	const services = 60
	for i, delay := range []time.Duration{20 * time.Millisecond, 60 * time.Millisecond, 120 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond} {
		stack := fmt.Sprintf("big%d", i)
		done := make(chan error, 1)
		go func() {
			_, err := e.api.DeployStack(ctx, stack, api.DeployRequest{ComposeFiles: []api.File{{Name: "big.yml", Content: benchStack(services, 0)}}})
			done <- err
		}()
		time.Sleep(delay)
		e.killManager()
		acked := <-done == nil

		outcome := ""
		poll.WaitOn(t, func(poll.LogT) poll.Result {
			history, err := e.api.StackHistory(ctx, stack)
			if errors.Is(err, api.ErrNotFound) {
				if acked {
					return poll.Error(fmt.Errorf("acknowledged deploy of %s has no history", stack))
				}
				outcome = "not recorded, nothing applied"
				return e.expectServices(stack, 0, 0)
			}
			if err != nil {
				return poll.Continue("history: %v", err)
			}
			if len(history) != 1 || history[0].Number != 1 {
				return poll.Error(fmt.Errorf("history of %s: %+v", stack, history))
			}
			outcome = "recorded and complete"
			return e.expectServices(stack, services, 1)
		}, poll.WithTimeout(90*time.Second), poll.WithDelay(250*time.Millisecond))
		t.Logf("kill after %v: acknowledged=%v, after restart: %s", delay, acked, outcome)
	}
	// The swarm and EXOS agree: the next deploy of each stack just works.
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--wait", "big0").Assert(t, icmd.Success)
}

// expectServices reports whether the stack has n services, all labelled with revision rev.
func (e *exos) expectServices(stack string, n, rev int) poll.Result {
	services, err := e.engine.ServiceList(context.Background(), swarm.ServiceListOptions{
		Filters: filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace="+stack))})
	if err != nil {
		return poll.Error(err)
	}
	if len(services) != n {
		return poll.Continue("stack %s has %d services, want %d", stack, len(services), n)
	}
	for _, s := range services {
		if got := s.Spec.Labels["io.exos.stack.revision"]; got != fmt.Sprint(rev) {
			return poll.Continue("service %s is at revision %q, want %d", s.Spec.Name, got, rev)
		}
	}
	return poll.Success()
}
