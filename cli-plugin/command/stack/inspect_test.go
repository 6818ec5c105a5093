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

func fakeStackDetail(name string) api.StackDetail {
	return api.StackDetail{
		Stack: api.Stack{Name: name, Env: "prod", Services: 2, Revision: 3,
			UpdatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		Configs:  []string{name + "_nginx_conf"},
		Secrets:  []string{},
		Services: fakeServices(),
	}
}

func TestInspectFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "json", args: []string{"web"}, golden: "stack-inspect.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} {{.Revision}}{{range .Services}} {{.Name}}{{end}}", "web", "shop"},
			golden: "stack-inspect-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				InspectStackFunc: func(_ context.Context, name string) (api.StackDetail, error) { return fakeStackDetail(name), nil },
			}, nil)
			cmd := newInspectCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestInspectNotFound(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		InspectStackFunc: func(_ context.Context, name string) (api.StackDetail, error) {
			return api.StackDetail{}, &api.Error{StatusCode: 404, Message: "stack " + name + " not found"}
		},
	}, nil)
	cmd := newInspectCommand(cli)
	cmd.SetArgs([]string{"nope"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	assert.Error(t, cmd.Execute(), "stack nope not found")
	golden.Assert(t, cli.OutBuffer().String(), "stack-inspect-not-found.golden")
}
