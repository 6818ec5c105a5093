package stack

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

func fakeHistory() []api.Revision {
	now := time.Now()
	return []api.Revision{
		{Stack: "web", Number: 1, CreatedAt: now.Add(-48 * time.Hour), Author: "admin", Env: "prod",
			Images: map[string]string{"api": "registry.local/api:1.3", "worker": "exos/busybox:1"}},
		{Stack: "web", Number: 3, CreatedAt: now.Add(-2 * time.Minute), Author: "jenkins", Env: "prod", RollbackOf: 1,
			Images: map[string]string{"worker": "exos/busybox:1", "api": "registry.local/api:1.3"}},
		{Stack: "web", Number: 2, CreatedAt: now.Add(-3 * time.Hour), Author: "admin", Env: "prod",
			Images: map[string]string{"api": "registry.local/api:1.4", "worker": "exos/busybox:1"}},
	}
}

func TestHistoryFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "stack-history.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "stack-history-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "stack-history-json.golden"},
		{name: "template", args: []string{"--format", "{{.Revision}}: {{.Images}}"}, golden: "stack-history-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				StackHistoryFunc: func(context.Context, string) ([]api.Revision, error) { return fakeHistory(), nil },
			}, nil)
			cmd := newHistoryCommand(cli)
			cmd.SetArgs(append(tc.args, "web"))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}
