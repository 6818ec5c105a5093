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

const (
	autoID = "3f2a9c1e0b7d4a5e8c6f1a2b3c4d5e6f"
	upID   = "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e"
	downID = "c0ffee00dd11ee22ff33aa44bb55cc66"
)

// fakeSecret is what the fake manager answers to a create or a rotate of req.
func fakeSecret(id string, req api.HookCreateRequest) api.HookSecret {
	return api.HookSecret{
		Hook: api.Hook{ID: id, Kind: req.Kind, Action: req.Action, Services: req.Services,
			Path: "/hooks/v1/scale/" + id, CreatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		Token: "exh_q9Zt3kLm8Vx2Rb7N",
	}
}

func u64(v uint64) *uint64 { return &v }

func TestCreateRequest(t *testing.T) {
	testCases := []struct {
		name string
		args []string
		want api.HookCreateRequest
	}{
		{name: "auto, any service", args: []string{"scale"},
			want: api.HookCreateRequest{Kind: "scale", Action: "auto", Services: []string{}}},
		{name: "up with overrides", args: []string{"scale", "--action", "up", "--service", "web_api", "--step", "2", "--max", "10"},
			want: api.HookCreateRequest{Kind: "scale", Action: "up", Services: []string{"web_api"}, Step: u64(2), Max: u64(10)}},
		{name: "down, min 0 is sent", args: []string{"scale", "--action", "down", "--service", "web_api", "--service", "web_worker", "--min", "0"},
			want: api.HookCreateRequest{Kind: "scale", Action: "down", Services: []string{"web_api", "web_worker"}, Min: u64(0)}},
		{name: "repeated service, dry-run", args: []string{"scale", "--service", "web_api", "--service", "web_worker", "--min", "2", "--max", "2", "--dry-run"},
			want: api.HookCreateRequest{Kind: "scale", Action: "auto", Services: []string{"web_api", "web_worker"}, Min: u64(2), Max: u64(2), DryRun: true}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got api.HookCreateRequest
			cli := test.NewFakeCli(&test.FakeManager{
				CreateHookFunc: func(_ context.Context, req api.HookCreateRequest) (api.HookSecret, error) {
					got = req
					return fakeSecret(autoID, req), nil
				},
			}, nil)
			cmd := newCreateCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(got, tc.want))
		})
	}
}

func TestCreateOutput(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "default auto", args: []string{"scale"}, golden: "hook-create.golden"},
		{name: "default up", args: []string{"scale", "--action", "up", "--service", "web_api"}, golden: "hook-create-up.golden"},
		{name: "json", args: []string{"scale", "--format", "json"}, golden: "hook-create-json.golden"},
		{name: "template", args: []string{"scale", "--format", "{{.ID}} {{.Token}}"}, golden: "hook-create-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				CreateHookFunc: func(_ context.Context, req api.HookCreateRequest) (api.HookSecret, error) {
					return fakeSecret(autoID, req), nil
				},
			}, nil)
			cmd := newCreateCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

// TestCreateInvalid checks that bad flags fail before the manager is asked for anything.
func TestCreateInvalid(t *testing.T) {
	testCases := []struct {
		name string
		args []string
		want string
	}{
		{name: "unknown kind", args: []string{"restart"},
			want: `unknown hook kind "restart": valid kinds are: scale, deploy`},
		{name: "deploy without stack", args: []string{"deploy"},
			want: "a deploy hook deploys to one stack: add --stack STACK"},
		{name: "deploy with two services", args: []string{"deploy", "--stack", "shop", "--service", "web", "--service", "api"},
			want: "a deploy hook deploys to one service or to its whole stack: give --service once, or leave it out"},
		{name: "deploy with a scale flag", args: []string{"deploy", "--stack", "shop", "--max", "3"},
			want: "--max is for scale hooks; a deploy hook takes --stack, --service, --repository and --tag-pattern"},
		{name: "deploy with a bad pattern", args: []string{"deploy", "--stack", "shop", "--tag-pattern", "[v"},
			want: `invalid --tag-pattern "[v": syntax error in pattern`},
		{name: "scale with a deploy flag", args: []string{"scale", "--stack", "shop"},
			want: "--stack is for deploy hooks; a scale hook takes --service, --action, --step, --min, --max and --dry-run"},
		{name: "unknown action", args: []string{"scale", "--action", "sideways"},
			want: `invalid --action "sideways": use up, down or auto`},
		{name: "up without service", args: []string{"scale", "--action", "up"},
			want: "--action up needs the services the hook may scale: add --service STACK_SERVICE (repeatable); only --action auto may leave them open"},
		{name: "down without service", args: []string{"scale", "--action", "down", "--max", "3"},
			want: "--action down needs the services the hook may scale: add --service STACK_SERVICE (repeatable); only --action auto may leave them open"},
		{name: "empty service", args: []string{"scale", "--service", ""},
			want: `invalid --service "": give a service's full Swarm name, such as web_api`},
		{name: "step 0", args: []string{"scale", "--step", "0"},
			want: "invalid --step 0: a step is at least 1 replica"},
		{name: "min above max", args: []string{"scale", "--min", "5", "--max", "3"},
			want: "invalid --min 5: it is above --max 3"},
		{name: "bad template", args: []string{"scale", "--format", "{{.Nope}}"},
			want: `template parsing error: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type hook.secretView`},
		{name: "unclosed template", args: []string{"scale", "--format", "{{.ID"},
			want: `template parsing error: template: :1: unclosed action`},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			cli := test.NewFakeCli(&test.FakeManager{
				CreateHookFunc: func(context.Context, api.HookCreateRequest) (api.HookSecret, error) {
					called = true
					return api.HookSecret{}, nil
				},
			}, nil)
			cmd := newCreateCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.Error(t, cmd.Execute(), tc.want)
			assert.Check(t, !called, "the manager was called")
		})
	}
}

func TestCreateManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		CreateHookFunc: func(context.Context, api.HookCreateRequest) (api.HookSecret, error) {
			return api.HookSecret{}, &api.Error{StatusCode: 400, Message: "service web_db has no autoscale policy"}
		},
	}, nil)
	cmd := newCreateCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"scale", "--service", "web_db"})
	assert.Error(t, cmd.Execute(), "failed to create the scale hook: service web_db has no autoscale policy")
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}
