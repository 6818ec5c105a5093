package dashboard

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func TestPrintFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		doc    api.Dashboard
		golden string
	}{
		{name: "text", doc: fixture(), golden: "dashboard.golden"},
		{name: "table", args: []string{"--format", "table"}, doc: fixture(), golden: "dashboard.golden"},
		{name: "quiet", args: []string{"--env", "qa"}, doc: quiet(), golden: "dashboard-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, doc: fixture(), golden: "dashboard-json.golden"},
		{name: "template", args: []string{"--format", "{{.Counters.Hosts.Down}} down{{range .Hosts}} {{.Name}}={{.Score}}{{end}}"},
			doc: fixture(), golden: "dashboard-template.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []api.DashboardQuery
			cli := test.NewFakeCli(&test.FakeManager{FakeDashboard: test.FakeDashboard{
				DashboardFunc: func(_ context.Context, q api.DashboardQuery) (api.Dashboard, error) {
					asked = append(asked, q)
					return tc.doc, nil
				},
			}}, nil)
			cmd := NewDashboardCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
			assert.Check(t, is.Len(asked, 1))
		})
	}
}

func TestPrintAsksForTheEnvironment(t *testing.T) {
	var asked api.DashboardQuery
	cli := test.NewFakeCli(&test.FakeManager{FakeDashboard: test.FakeDashboard{
		DashboardFunc: func(_ context.Context, q api.DashboardQuery) (api.Dashboard, error) {
			asked = q
			return quiet(), nil
		},
	}}, nil)
	cmd := NewDashboardCommand(cli)
	cmd.SetArgs([]string{"--env", "qa"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(asked.Env, "qa"))
}

func TestPrintRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad template", []string{"--format", "{{.Nope"}, "template parsing error"},
		{"watch without a terminal", []string{"--watch"}, "--watch draws on a terminal"},
		{"watch and format", []string{"--watch", "--format", "json"}, "none of the others can be"},
		{"manager error", nil, "failed to get the dashboard: forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeDashboard: test.FakeDashboard{
				DashboardFunc: func(context.Context, api.DashboardQuery) (api.Dashboard, error) {
					return api.Dashboard{}, &api.Error{StatusCode: 403, Message: "forbidden"}
				},
			}}, nil)
			cmd := NewDashboardCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.ErrorContains(t, cmd.Execute(), tc.want)
			assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
		})
	}
}
