package hook

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

// fakeDecisions covers every way a decision is shown: a change, an unchanged count, no
// count at all (rejected, resolved), and times in another zone than UTC.
func fakeDecisions() []api.ScaleDecision {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cet := time.FixedZone("CET", 3600)
	return []api.ScaleDecision{
		{Time: at, Hook: autoID, Alert: "HighLatency", Service: "web_api", Stack: "web", Direction: "up",
			From: 2, To: 3, Decision: api.DecisionApplied},
		{Time: at.Add(30 * time.Second), Hook: autoID, Alert: "HighLatency", Service: "web_api", Stack: "web", Direction: "up",
			From: 3, To: 3, Decision: api.DecisionDuplicate, Reason: "episode already stepped"},
		{Time: at.Add(2 * time.Minute).In(cet), Hook: upID, Alert: "QueueDepth", Service: "web_worker", Stack: "web", Direction: "up",
			From: 10, To: 10, Decision: api.DecisionClamped, Reason: "at max 10"},
		{Time: at.Add(3 * time.Minute), Hook: autoID, Alert: "Typo", Service: "web_db", Decision: api.DecisionRejected,
			Reason: "service web_db is out of the hook's scope"},
		{Time: at.Add(4 * time.Minute), Hook: autoID, Alert: "HighLatency", Service: "web_api", Stack: "web",
			Decision: api.DecisionResolved},
	}
}

func TestHistoryFormats(t *testing.T) {
	testCases := []struct {
		name     string
		args     []string
		wantHook string
		golden   string
	}{
		{name: "table", golden: "hook-history.golden"},
		{name: "one hook", args: []string{"3f2a"}, wantHook: "3f2a", golden: "hook-history.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "hook-history-json.golden"},
		{name: "template no-trunc", args: []string{"--no-trunc", "--format", "{{.Time}} {{.Hook}} {{.Direction}} {{.Replicas}}"},
			golden: "hook-history-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var gotHook, gotStack string
			cli := test.NewFakeCli(&test.FakeManager{
				ScaleHistoryFunc: func(_ context.Context, hook, stack string) ([]api.ScaleDecision, error) {
					gotHook, gotStack = hook, stack
					return fakeDecisions(), nil
				},
			}, nil)
			cmd := newHistoryCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(gotHook, tc.wantHook))
			assert.Check(t, is.Equal(gotStack, ""))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestHistoryManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		ScaleHistoryFunc: func(context.Context, string, string) ([]api.ScaleDecision, error) {
			return nil, &api.Error{StatusCode: 404, Message: "no hook matches ffff"}
		},
	}, nil)
	cmd := newHistoryCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"ffff"})
	assert.Error(t, cmd.Execute(), "no hook matches ffff")
}
