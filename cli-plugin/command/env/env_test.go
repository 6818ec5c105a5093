package env

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

func fakeEnvs() []api.Environment {
	created := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return []api.Environment{
		{Name: "qa", Description: "Quality assurance", CreatedAt: created, NodeLabel: "io.exos.env.qa",
			Nodes: []string{"node2"}, Stacks: []string{}},
		{Name: "prod", Description: "Production", CreatedAt: created, NodeLabel: "io.exos.env.prod",
			Nodes: []string{"node3", "node4"}, Stacks: []string{"shop", "web"}},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "env-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "env-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "env-list-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}}: {{.Nodes}} nodes ({{.NodeLabel}})"}, golden: "env-list-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				ListEnvironmentsFunc: func(context.Context) ([]api.Environment, error) { return fakeEnvs(), nil },
			}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestInspectFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "json", args: []string{"prod"}, golden: "env-inspect.golden"},
		{name: "template", args: []string{"--format", `{{.Name}}: {{join .Nodes ","}}`, "prod", "qa"}, golden: "env-inspect-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				InspectEnvironmentFunc: func(_ context.Context, name string) (api.Environment, error) {
					for _, e := range fakeEnvs() {
						if e.Name == name {
							return e, nil
						}
					}
					return api.Environment{}, &api.Error{StatusCode: 404, Message: "not found"}
				},
			}, nil)
			cmd := newInspectCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestCreate(t *testing.T) {
	var got api.EnvironmentCreateRequest
	cli := test.NewFakeCli(&test.FakeManager{
		CreateEnvironmentFunc: func(_ context.Context, req api.EnvironmentCreateRequest) (api.Environment, error) {
			got = req
			return api.Environment{Name: req.Name}, nil
		},
	}, nil)
	cmd := newCreateCommand(cli)
	cmd.SetArgs([]string{"--description", "Quality assurance", "qa"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(got, api.EnvironmentCreateRequest{Name: "qa", Description: "Quality assurance"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "qa\n"))
}

func TestAddAndRemoveNodes(t *testing.T) {
	var calls []string
	mgr := &test.FakeManager{
		AddNodeFunc: func(_ context.Context, env, node string) (api.Environment, error) {
			calls = append(calls, "add "+env+" "+node)
			if node == "ghost" {
				return api.Environment{}, &api.Error{StatusCode: 404, Message: "node ghost not found"}
			}
			return api.Environment{Name: env}, nil
		},
		RemoveNodeFunc: func(_ context.Context, env, node string, _ api.RemoveNodeOptions) (api.Environment, error) {
			calls = append(calls, "remove "+env+" "+node)
			return api.Environment{Name: env}, nil
		},
	}
	cli := test.NewFakeCli(mgr, nil)
	add := newAddNodeCommand(cli)
	add.SilenceUsage, add.SilenceErrors = true, true
	add.SetArgs([]string{"prod", "node3", "ghost", "node4"})
	assert.Error(t, add.Execute(), "failed to add node ghost: node ghost not found")

	rm := newRemoveNodeCommand(cli)
	rm.SetArgs([]string{"prod", "node4"})
	assert.NilError(t, rm.Execute())

	assert.Check(t, is.DeepEqual(calls, []string{"add prod node3", "add prod ghost", "add prod node4", "remove prod node4"}))
	golden.Assert(t, cli.OutBuffer().String(), "env-nodes.golden")
}

func TestRemoveNodeRefusals(t *testing.T) {
	var forced []bool
	mgr := &test.FakeManager{
		RemoveNodeFunc: func(_ context.Context, env, node string, opts api.RemoveNodeOptions) (api.Environment, error) {
			forced = append(forced, opts.Force)
			switch {
			case node == "node9":
				return api.Environment{}, &api.Error{StatusCode: 404, Message: `node "node9" is not a member of environment "prod" (its nodes: node3); nothing changed`}
			case !opts.Force:
				return api.Environment{}, &api.Error{StatusCode: 409, Message: `node "node3" is the last node of environment "prod": removing it stops every task of its stacks (shop, web); add another node first, or pass --force`}
			}
			return api.Environment{Name: env}, nil
		},
	}
	cli := test.NewFakeCli(mgr, nil)
	rm := newRemoveNodeCommand(cli)
	rm.SilenceUsage, rm.SilenceErrors = true, true
	rm.SetArgs([]string{"prod", "node9", "node3"})
	err := rm.Execute()
	assert.Assert(t, err != nil)
	golden.Assert(t, err.Error()+"\n", "env-remove-node-refused.golden")

	rm = newRemoveNodeCommand(cli)
	rm.SetArgs([]string{"--force", "prod", "node3"})
	assert.NilError(t, rm.Execute())
	assert.Check(t, is.DeepEqual(forced, []bool{false, false, true}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Removed node node3 from environment prod\n"))
}

func TestRemove(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		RemoveEnvironmentFunc: func(_ context.Context, name string) error {
			return &api.Error{StatusCode: 409, Message: "environment " + name + " still has stacks: web"}
		},
	}, nil)
	cmd := newRemoveCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"prod"})
	assert.Error(t, cmd.Execute(), "failed to remove environment prod: environment prod still has stacks: web")
}
