package manager

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

func TestStatusFormats(t *testing.T) {
	now := time.Now()
	info := api.Info{Version: "1.2.0", SwarmID: "clu1", NodeID: "n1", StartedAt: now.Add(-3 * time.Hour),
		ReadyAt: now.Add(-2 * time.Hour), Nodes: 3, Services: 7, Tasks: 12, Stacks: 2, Envs: 2, Index: 99}
	testCases := []struct {
		name   string
		args   []string
		info   api.Info
		golden string
	}{
		{name: "pretty", info: info, golden: "manager-status.golden"},
		{name: "not ready", info: api.Info{Version: "1.2.0", StartedAt: now.Add(-time.Minute)}, golden: "manager-status-not-ready.golden"},
		{name: "template", info: info, args: []string{"--format", "{{.URL}} {{.Version}} {{.Stacks}}"}, golden: "manager-status-template.golden"},
		{name: "template of raw fields", info: info, args: []string{"--format", "{{.SwarmID}} {{.Tasks}} {{.Envs}} {{.Started}} {{.StartedAt.IsZero}}"},
			golden: "manager-status-template-fields.golden"},
		{name: "table", info: info, args: []string{"--format", "table"}, golden: "manager-status-table.golden"},
		{name: "table not ready", info: api.Info{Version: "1.2.0", StartedAt: now.Add(-time.Minute)}, args: []string{"--format", "table"},
			golden: "manager-status-table-not-ready.golden"},
		{name: "table template", info: info, args: []string{"--format", "table {{.URL}}\t{{.Version}}\t{{.Ready}}"}, golden: "manager-status-table-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{InfoFunc: func(context.Context) (api.Info, error) { return tc.info, nil }}, nil)
			cmd := newStatusCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestStatusJSON(t *testing.T) {
	info := api.Info{Version: "1.2.0", SwarmID: "clu1", StartedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Nodes: 3}
	cli := test.NewFakeCli(&test.FakeManager{InfoFunc: func(context.Context) (api.Info, error) { return info, nil }}, nil)
	cmd := newStatusCommand(cli)
	cmd.SetArgs([]string{"--format", "json"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "manager-status-json.golden")
}
