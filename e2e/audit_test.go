//go:build e2e

package e2e

import (
	"context"
	"os"
	"testing"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// The event of an acknowledged change is in the swarm before the change is answered: a
// manager killed with SIGKILL right after the deploys return (well before its next flush
// compacts their events into a segment) has every one of them after Swarm restarts it,
// as `docker exos audit ls` shows.
func TestKilledManagerKeepsTheAuditEventsOfAcknowledgedDeploys(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	ctx := context.Background()
	compose, err := os.ReadFile("../testdata/e2e/native/web.yml")
	assert.NilError(t, err)
	req := api.DeployRequest{ComposeFiles: []api.File{{Name: "web.yml", Content: string(compose)}}}
	var revisions []int
	for range 3 {
		res, err := e.api.DeployStack(ctx, "shop", req)
		assert.NilError(t, err)
		revisions = append(revisions, res.Revision)
	}
	e.killManager()

	res := e.run("audit", "ls", "--action", "stack.deploy", "--format", "json")
	res.Assert(t, icmd.Success)
	events := jsonLines[api.AuditEvent](t, res.Stdout())
	var got []int
	for _, ev := range events {
		assert.Check(t, is.Equal(ev.Actor, "admin"))
		assert.Check(t, is.Equal(ev.Object, "stacks/shop"))
		assert.Check(t, is.Equal(ev.Result, api.AuditOK))
		assert.Check(t, ev.RequestID != "" && ev.Source != "")
		got = append([]int{ev.Revision}, got...) // newest first
	}
	assert.Check(t, is.DeepEqual(got, revisions), "one event per acknowledged deploy, each with its revision")

	// And the restarted manager goes on recording.
	e.run("stack", "rm", "shop").Assert(t, icmd.Success)
	res = e.run("audit", "ls", "--action", "stack", "--limit", "1", "--format", "{{.Action}} {{.Object}} {{.Result}}")
	res.Assert(t, icmd.Expected{Out: "stack.remove stacks/shop ok"})
}
