//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
)

// --wait tells the truth: a service that starts and crashes failed, with its exit code; a
// task no node may run is pending for Swarm's reason; a deploy superseded while waiting
// says so. Each ends non-zero.
func TestWaitTellsTheTruth(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})

	crash := e.run("stack", "deploy", "-c", "../testdata/e2e/wait/crash.yml", "--wait", "--timeout", "90s", "crash")
	assert.Check(t, crash.ExitCode != 0)
	assert.Check(t, is.Contains(crash.Stderr(), "stack crash did not converge: service crash_app: task crash_app.1"))
	assert.Check(t, is.Contains(crash.Stderr(), "exit code 4"))

	pending := e.run("stack", "deploy", "-c", "../testdata/e2e/wait/nowhere.yml", "--wait", "--timeout", "10s", "nowhere")
	assert.Check(t, pending.ExitCode != 0)
	assert.Check(t, is.Contains(pending.Stderr(), "timed out after 10s waiting for stack nowhere"))
	assert.Check(t, is.Contains(pending.Stderr(), "no suitable node"))

	first := icmd.StartCmd(e.command("stack", "deploy", "-c", "../testdata/e2e/wait/slow.yml", "--wait", "--timeout", "2m", "slow"))
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if strings.Contains(first.Stdout(), "deployed as revision 1") {
			return poll.Success()
		}
		return poll.Continue("the first deploy has not been recorded yet")
	}, poll.WithTimeout(time.Minute))
	second := icmd.RunCmd(e.command("stack", "deploy", "-c", "../testdata/e2e/wait/slow.yml", "slow"), icmd.WithEnv(append(e.env(1), "SLEEP=3601")...))
	second.Assert(t, icmd.Success)
	done := icmd.WaitOnCmd(2*time.Minute, first)
	assert.Check(t, done.ExitCode != 0)
	assert.Check(t, is.Contains(done.Stderr(), "revision 1 was superseded by revision 2 while waiting"))
}
