//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/manager/api"
)

// The placeholders of docs/cicd.md's notifications block, which the test fills in.
const (
	docHookURL   = "https://exos.example.com:7420/hooks/v1/deploy/5f0c2a9e"
	docHookToken = "7b3c...the hook's token"
)

// notificationsConfig is the registry's notifications: block as docs/cicd.md gives it,
// with the hook's URL and token in place of the placeholders.
func notificationsConfig(t *testing.T, url, token string) string {
	t.Helper()
	blocks := fencedBlocks(cicdDoc(t), "yaml")
	assert.Assert(t, is.Len(blocks, 1))
	cfg := blocks[0]
	for old, new := range map[string]string{docHookURL: url, docHookToken: token} {
		assert.Assert(t, is.Contains(cfg, old), "docs/cicd.md's notifications block changed: update the test's placeholders")
		cfg = strings.ReplaceAll(cfg, old, new)
	}
	return cfg
}

// A registry configured as docs/cicd.md says notifies the hook of every push: a new tag
// converges with no other call, as a revision and an audit event of the hook; a broken
// image is rolled back by Swarm, its revision failed, and the old digest keeps serving.
func TestDeployHookFromRegistryNotifications(t *testing.T) {
	b := startHookBed(t)
	ctx := context.Background()
	exosCA := filepath.Join(t.TempDir(), "exos-ca.pem")
	assert.NilError(t, os.WriteFile(exosCA, []byte(b.saved().CA), 0o600))
	b.reg.Restart(t, notificationsConfig(t, b.hook.URL, b.hook.Token), "SSL_CERT_FILE="+exosCA)
	actor := api.DeployHookActor(b.hook.ID)

	second := b.push(t, "2", b.serving("2"))
	b.runs(t, second)
	rev := b.revisionOf(t, second)
	assert.Check(t, is.Equal(rev.Author, actor))
	assert.Check(t, is.Equal(rev.State, api.RevisionApplied))
	events, _, err := b.api.ListAudit(ctx, api.AuditQuery{Actor: actor, Action: "stack.set-image"})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(events, 1), "%v", events)
	assert.Check(t, is.Equal(events[0].Revision, rev.Number))
	assert.Check(t, is.Contains(events[0].Detail, second))

	third := b.push(t, "3", b.broken("3"))
	var deployment string
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		for _, d := range b.deliveries(t) {
			if d["Image"] == third && d["Deployment"] != "-" {
				deployment = d["Deployment"]
				return poll.Success()
			}
		}
		return poll.Continue("the hook has no deployment of %s", third)
	}, poll.WithTimeout(time.Minute), poll.WithDelay(250*time.Millisecond))
	dep := b.settles(t, deployment)
	assert.Check(t, is.Equal(dep.Status, api.DeploymentRolledBack), "%+v", dep)
	assert.Check(t, is.Contains(dep.Reason, "rolled the update back"), "%+v", dep)
	b.runs(t, second)
	failed := b.revisionOf(t, third)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if failed = b.revisionOf(t, third); failed.State != api.RevisionFailed {
			return poll.Continue("revision %d is %s", failed.Number, failed.State)
		}
		return poll.Success()
	}, poll.WithTimeout(time.Minute), poll.WithDelay(250*time.Millisecond))
	assert.Check(t, is.Equal(failed.Author, actor))
	assert.Check(t, is.Contains(failed.Reason, "rolled the update back"))
	var outcome map[string]string
	for _, d := range b.deliveries(t) {
		if d["Deployment"] == deployment {
			outcome = d
		}
	}
	assert.Check(t, is.Equal(outcome["Outcome"], api.DeploymentRolledBack), "the hook's history ends the deployment with %v", outcome)
	assert.Check(t, is.Contains(outcome["Reason"], "rolled the update back"))
	b.tokenNotLogged(t)
}
