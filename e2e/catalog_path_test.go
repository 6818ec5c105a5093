//go:build e2e

package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
)

// TestCatalogOpenedByPath: `manager install --catalog-dir` mounts a directory of the node
// into the manager, and a catalog added by its path there deploys with no Git server.
func TestCatalogOpenedByPath(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	repo, commit := catalogRepo(t, "ticker")
	dir, path := filepath.Dir(repo.Dir), "/catalogs/"+filepath.Base(repo.Dir)

	res := e.run("manager", "install", "--image", managerImage(),
		"--docker-socket", strings.TrimPrefix(e.sw.Nodes[0].Host, "unix://"), "--agent-docker-socket", agentSocket(e.sw), "--catalog-dir", dir)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Using the catalog key secret exos-catalog-key"), "install made the key the first time")
	// Install waited for Swarm to replace the manager's task: as soon as it returns, every
	// task meant to run has the mount, and the catalog on it can be added at once. (Whether
	// install printed that it waited depends on how fast Swarm was, so it is not checked.)
	assertManagerTasksMount(t, e, dir)

	res = e.run("catalog", "add", "team", path)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), commit[:12]))
	res = e.run("catalog", "add", "nowhere", "/catalogs/nowhere")
	assert.Check(t, is.Equal(res.ExitCode, 1))
	assert.Check(t, is.Contains(res.Stderr(), "/catalogs/nowhere"))

	res = e.run("catalog", "deploy", "team/ticker", "--name", "pathtick", "--set", "secret_word=by-path", "--wait", "--timeout", "90s")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Deploying team/ticker:1.0.0 (catalog commit "+commit[:12]+") as stack pathtick"))
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(
			filters.Arg("service", "pathtick_ticker"), filters.Arg("desired-state", "running"))})
		if err != nil {
			return poll.Error(err)
		}
		for _, task := range tasks {
			if task.Status.State == swarm.TaskStateRunning {
				return poll.Success()
			}
		}
		return poll.Continue("no running task of pathtick_ticker yet")
	}, poll.WithTimeout(60*time.Second), poll.WithDelay(200*time.Millisecond))
}

// assertManagerTasksMount checks, without waiting, that every task of exos_manager meant
// to run (and there is one) mounts dir read-only at /catalogs.
func assertManagerTasksMount(t *testing.T, e *exos, dir string) {
	t.Helper()
	tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", "exos_manager"), filters.Arg("desired-state", "running"))})
	assert.NilError(t, err)
	assert.Assert(t, len(tasks) > 0, "exos_manager has no task meant to run")
	for _, task := range tasks {
		mounted := false
		for _, m := range task.Spec.ContainerSpec.Mounts {
			mounted = mounted || (m.Target == "/catalogs" && m.Source == dir && m.ReadOnly)
		}
		assert.Check(t, mounted, "task %s (%s) still runs the spec without the mount: %+v", task.ID, task.Status.State, task.Spec.ContainerSpec.Mounts)
	}
}
