//go:build e2e

package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"

	"github.com/exos-platform/exos/e2e/testbed"
)

// TestHistoryIsBoundedAndKeepsEveryRevision: with `manager install --revision-history 3`,
// a stack deployed 8 times keeps 3 revision configs and an archive segment on the swarm;
// `stack history` lists all 8, an archived revision is shown, diffed and rolled back to,
// and a restarted manager reads the same history.
func TestHistoryIsBoundedAndKeepsEveryRevision(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	ctx := context.Background()
	e.run("manager", "install", "--image", managerImage(), "--docker-socket", strings.TrimPrefix(e.sw.Nodes[0].Host, "unix://"),
		"--agent-docker-socket", agentSocket(e.sw), "--revision-history", "3").Assert(t, icmd.Success)
	for i := 1; i <= 8; i++ {
		// --wait: a swarm updating one service's tasks faster than it removes them can
		// reject a task ("unknown network"), which a rollback's wait would report.
		res := icmd.RunCmd(e.command("stack", "deploy", "-c", "../testdata/e2e/history/app.yml", "--wait", "hist"),
			icmd.WithEnv(append(e.env(1), "SLEEP="+strconv.Itoa(3600+i))...))
		res.Assert(t, icmd.Success)
	}
	assert.Check(t, is.Equal(e.exosConfigs(t, "revision"), 3), "the revisions beyond 3 are archived")
	assert.Check(t, is.Equal(e.exosConfigs(t, "revision-archive"), 1))

	history := jsonLines[revisionRow](t, e.run("stack", "history", "hist", "--format", "json").Stdout())
	assert.Assert(t, is.Len(history, 8))
	for i, row := range history {
		assert.Check(t, is.Equal(row.Revision, strconv.Itoa(8-i)))
		assert.Check(t, is.Equal(row.Author, "admin"))
		assert.Check(t, is.Contains(row.Images, "exos/busybox:1"))
	}
	rev, err := e.api.StackRevision(ctx, "hist", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Variables["SLEEP"], "3602"), "an archived revision is read whole")
	diff := e.run("stack", "diff", "hist", "1", "2")
	diff.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(diff.Stdout(), "3602"))

	e.run("stack", "rollback", "--to", "2", "--wait", "hist").Assert(t, icmd.Success)
	svc, _, err := e.engine.ServiceInspectWithRaw(ctx, "hist_app", swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(svc.Spec.TaskTemplate.ContainerSpec.Args, []string{"sleep", "3602"}))
	assert.Check(t, is.Equal(e.exosConfigs(t, "revision"), 3))

	before, err := e.api.StackHistory(ctx, "hist")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(before, 9))
	old, ok := e.managerTask()
	assert.Assert(t, ok)
	e.docker("service", "update", "--force", "--detach", "exos_manager").Assert(t, icmd.Success)
	e.waitHealthy(func() bool {
		cur, ok := e.managerTask()
		return ok && cur.ID != old.ID
	})
	after, err := e.api.StackHistory(ctx, "hist")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(after, before), "a restarted manager reads the same history")
	rev, err = e.api.StackRevision(ctx, "hist", 1)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Variables["SLEEP"], "3601"))
}

// exosConfigs counts the swarm's EXOS configs of kind.
func (e *exos) exosConfigs(t *testing.T, kind string) int {
	configs, err := e.engine.ConfigList(context.Background(), swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("label", "io.exos.kind="+kind))})
	assert.NilError(t, err)
	return len(configs)
}
