package stack

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func fakeHistory() []api.Revision {
	now := time.Now()
	return []api.Revision{
		{Stack: "web", Number: 1, CreatedAt: now.Add(-48 * time.Hour), Author: "admin", Env: "prod", State: api.RevisionSuperseded,
			Images: map[string]string{"api": "registry.local/api:1.3", "worker": "exos/busybox:1"}},
		{Stack: "web", Number: 3, CreatedAt: now.Add(-2 * time.Minute), Author: "jenkins", Env: "prod", RollbackOf: 1, State: api.RevisionApplied,
			Images:   map[string]string{"worker": "exos/busybox:1", "api": "registry.local/api:1.3"},
			Template: &api.TemplateSource{Catalog: "community", Template: "api", Version: "1.3.0", Commit: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"}},
		{Stack: "web", Number: 2, CreatedAt: now.Add(-3 * time.Hour), Author: "admin", Env: "prod", State: api.RevisionFailed,
			Reason:      "service web_api: Swarm rolled the update back: update rolled back due to failure or early termination of task 7z0",
			Compensated: []string{"restored service web_api"},
			Images:      map[string]string{"api": "registry.local/api:1.4", "worker": "exos/busybox:1"}},
	}
}

const hookID = "3f2a9c1e0b7d4a5e8c6f1a2b3c4d5e6f"

// fakeScaling is the stack's scale decisions, oldest first: two steps and two decisions
// that changed nothing.
func fakeScaling() []api.ScaleDecision {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return []api.ScaleDecision{
		{Time: at, Hook: hookID, Alert: "HighLatency", Service: "web_api", Stack: "web", Direction: "up",
			From: 2, To: 3, Decision: api.DecisionApplied},
		{Time: at.Add(time.Minute), Hook: hookID, Alert: "HighLatency", Service: "web_api", Stack: "web", Direction: "up",
			From: 3, To: 3, Decision: api.DecisionCooldown, Reason: "last step up 60s ago"},
		{Time: at.Add(6 * time.Minute), Hook: hookID, Alert: "QueueDepth", Service: "web_worker", Stack: "web", Direction: "down",
			From: 4, To: 3, Decision: api.DecisionDryRun, Reason: "hook is dry-run"},
		{Time: at.Add(7 * time.Minute), Hook: hookID, Alert: "QueueDepth", Service: "web_worker", Stack: "web", Direction: "down",
			From: 1, To: 1, Decision: api.DecisionClamped, Reason: "at min 1"},
	}
}

// manySteps is more applied steps than the revisions table shows under it.
func manySteps() []api.ScaleDecision {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var ds []api.ScaleDecision
	for i := range uint64(12) {
		ds = append(ds, api.ScaleDecision{Time: at.Add(time.Duration(i) * time.Minute), Hook: hookID, Service: "web_api",
			Stack: "web", From: i + 1, To: i + 2, Decision: api.DecisionApplied})
	}
	return ds
}

func TestHistoryFormats(t *testing.T) {
	testCases := []struct {
		name      string
		args      []string
		scaling   []api.ScaleDecision
		wantScale bool
		golden    string
	}{
		{name: "table", wantScale: true, golden: "stack-history.golden"},
		{name: "table, no steps", scaling: fakeScaling()[1:2], wantScale: true, golden: "stack-history.golden"},
		{name: "table with steps", scaling: fakeScaling(), wantScale: true, golden: "stack-history-steps.golden"},
		{name: "table with hidden steps", scaling: manySteps(), wantScale: true, golden: "stack-history-steps-hidden.golden"},
		{name: "quiet", args: []string{"-q"}, scaling: fakeScaling(), golden: "stack-history-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, scaling: fakeScaling(), golden: "stack-history-json.golden"},
		{name: "template", args: []string{"--format", "{{.Revision}}: {{.Images}}"}, scaling: fakeScaling(), golden: "stack-history-template.golden"},
		{name: "scaling", args: []string{"--scaling"}, scaling: fakeScaling(), wantScale: true, golden: "stack-history-scaling.golden"},
		{name: "scaling json", args: []string{"--scaling", "--format", "json"}, scaling: fakeScaling(), wantScale: true, golden: "stack-history-scaling-json.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var scaleCalls []string
			cli := test.NewFakeCli(&test.FakeManager{
				StackHistoryFunc: func(context.Context, string) ([]api.Revision, error) { return fakeHistory(), nil },
				ScaleHistoryFunc: func(_ context.Context, hook, stack string) ([]api.ScaleDecision, error) {
					scaleCalls = append(scaleCalls, fmt.Sprintf("hook=%q stack=%q", hook, stack))
					return tc.scaling, nil
				},
			}, nil)
			cmd := newHistoryCommand(cli)
			cmd.SetArgs(append(tc.args, "web"))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
			var want []string
			if tc.wantScale {
				want = []string{`hook="" stack="web"`}
			}
			assert.Check(t, is.DeepEqual(scaleCalls, want))
		})
	}
}

// TestHistoryScalingUnavailable checks that the revisions still come out, with a warning,
// when the manager cannot give the scaling steps.
func TestHistoryScalingUnavailable(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		StackHistoryFunc: func(context.Context, string) ([]api.Revision, error) { return fakeHistory(), nil },
		ScaleHistoryFunc: func(context.Context, string, string) ([]api.ScaleDecision, error) {
			return nil, &api.Error{StatusCode: 503, Message: "manager not ready"}
		},
	}, nil)
	cmd := newHistoryCommand(cli)
	cmd.SetArgs([]string{"web"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "stack-history.golden")
	assert.Check(t, is.Equal(cli.ErrBuffer().String(), "Cannot show the scaling steps of stack web: manager not ready\n"))
}

func TestHistoryScalingQuiet(t *testing.T) {
	cli := test.NewFakeCli(nil, nil)
	cli.SetManagerErr(fmt.Errorf("the manager must not be asked"))
	cmd := newHistoryCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--scaling", "-q", "web"})
	assert.Error(t, cmd.Execute(), "--quiet cannot be used with --scaling: scale decisions have no number; use --format instead")
}
