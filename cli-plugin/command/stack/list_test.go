package stack

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

func fakeStacks() []api.Stack {
	now := time.Now()
	return []api.Stack{
		{Name: "web10", Env: "prod", Services: 3, Revision: 12, State: api.RevisionApplied, UpdatedAt: now.Add(-2 * time.Minute), Drift: []api.Drift{
			{Service: "web10_api", Kind: api.DriftUpdated, Fields: []string{"TaskTemplate.ContainerSpec.Image"}},
			{Service: "web10_db", Kind: api.DriftRemoved}, {Service: "web10_cache", Kind: api.DriftUpdated, Fields: []string{"Mode.Replicated.Replicas"}},
		}},
		{Name: "native", Services: 1},
		{Name: "web2", Env: "qa", Services: 2, Revision: 1, State: api.RevisionFailed, UpdatedAt: now.Add(-3 * time.Hour)},
		{Name: "gone", Env: "qa", Revision: 4, State: api.StackRemoved, UpdatedAt: now.Add(-4 * time.Hour)},
		{Name: "cache", Env: "qa", Services: 1, Revision: 2, UpdatedAt: now.Add(-5 * time.Minute),
			Template: redisTemplate("7.2.4"), UpgradeTo: "7.2.5"},
		{Name: "db", Env: "prod", Services: 1, Revision: 1, UpdatedAt: now.Add(-time.Hour),
			Template: &api.TemplateSource{Catalog: "community", Template: "mariadb", Version: "10.11", Commit: "0a1b2c3d4e5f"}},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "stack-list.golden"},
		{name: "all", args: []string{"--all"}, golden: "stack-list-all.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "stack-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "stack-list-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} rev {{.Revision}} in {{.Env}}"}, golden: "stack-list-template.golden"},
		{name: "table template", args: []string{"--format", "table {{.Name}}\t{{.Services}}"}, golden: "stack-list-table-template.golden"},
		{name: "template columns", args: []string{"--format", "table {{.Name}}\t{{.Template}}\t{{.Upgrade}}"}, golden: "stack-list-upgrade.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				ListStacksFunc: func(context.Context) ([]api.Stack, error) { return fakeStacks(), nil },
			}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestListManagerError(t *testing.T) {
	cli := test.NewFakeCli(nil, nil)
	cli.SetManagerErr(errors.New("no EXOS manager runs on this swarm"))
	cmd := newListCommand(cli)
	cmd.SetArgs([]string{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	assert.Error(t, cmd.Execute(), "no EXOS manager runs on this swarm")
}
