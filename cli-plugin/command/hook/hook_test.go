package hook

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func fakeHooks() []api.Hook {
	now := time.Now()
	return []api.Hook{
		{ID: downID, Kind: "scale", Action: "down", Services: []string{"web_api"}, Min: u64(1),
			Path: "/hooks/v1/scale/" + downID, CreatedAt: now.Add(-50 * time.Hour)},
		{ID: autoID, Kind: "scale", Action: "auto", Services: []string{},
			Path: "/hooks/v1/scale/" + autoID, CreatedAt: now.Add(-2 * time.Minute)},
		{ID: upID, Kind: "scale", Action: "up", Services: []string{"web_api", "web_worker"}, Step: u64(2), Max: u64(10),
			DryRun: true, Path: "/hooks/v1/scale/" + upID, CreatedAt: now.Add(-3 * time.Hour), RejectedDeliveries: 7},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "hook-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "hook-list-quiet.golden"},
		{name: "quiet no-trunc", args: []string{"-q", "--no-trunc"}, golden: "hook-list-quiet-no-trunc.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "hook-list-json.golden"},
		{name: "template", args: []string{"--format", "{{.ID}} {{.Action}} {{.Services}} {{.Path}}", "--no-trunc"}, golden: "hook-list-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				ListHooksFunc: func(context.Context) ([]api.Hook, error) { return fakeHooks(), nil },
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
		{name: "json", args: []string{"9b8c"}, golden: "hook-inspect.golden"},
		{name: "template", args: []string{"--format", `{{.Action}} {{join .Services ","}}`, "9b8c", "c0ff"}, golden: "hook-inspect-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				InspectHookFunc: func(_ context.Context, id string) (api.Hook, error) {
					for _, h := range fakeHooks() {
						if h.ID[:4] == id {
							h.CreatedAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
							return h, nil
						}
					}
					return api.Hook{}, &api.Error{StatusCode: 404, Message: "hook " + id + " not found"}
				},
			}, nil)
			cmd := newInspectCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestRotate(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "default", args: []string{"9b8c"}, golden: "hook-rotate.golden"},
		{name: "json", args: []string{"--format", "json", "9b8c"}, golden: "hook-rotate-json.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			cli := test.NewFakeCli(&test.FakeManager{
				RotateHookFunc: func(_ context.Context, id string) (api.HookSecret, error) {
					got = id
					return fakeSecret(upID, api.HookCreateRequest{Kind: "scale", Action: "up", Services: []string{"web_api"}}), nil
				},
			}, nil)
			cmd := newRotateCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(got, "9b8c"))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestRotateInvalidFormat(t *testing.T) {
	called := false
	cli := test.NewFakeCli(&test.FakeManager{
		RotateHookFunc: func(context.Context, string) (api.HookSecret, error) {
			called = true
			return api.HookSecret{}, nil
		},
	}, nil)
	cmd := newRotateCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--format", "{{.Secret}}", "9b8c"})
	assert.ErrorContains(t, cmd.Execute(), "template parsing error")
	assert.Check(t, !called, "the token was rotated despite the bad --format")
}

func TestRemoveOneFails(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{
		RemoveHookFunc: func(_ context.Context, id string) error {
			calls = append(calls, id)
			if id == "ffff" {
				return &api.Error{StatusCode: 404, Message: "no hook matches ffff"}
			}
			return nil
		},
	}, nil)
	cmd := newRemoveCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{autoID, "ffff", "9b8c"})
	assert.Error(t, cmd.Execute(), "failed to remove hook ffff: no hook matches ffff")
	assert.Check(t, is.DeepEqual(calls, []string{autoID, "ffff", "9b8c"}))
	golden.Assert(t, cli.OutBuffer().String(), "hook-remove.golden")
}

func TestCreateDeployHook(t *testing.T) {
	var got api.HookCreateRequest
	cli := test.NewFakeCli(&test.FakeManager{
		CreateHookFunc: func(_ context.Context, req api.HookCreateRequest) (api.HookSecret, error) {
			got = req
			return api.HookSecret{Hook: api.Hook{ID: "d1", Kind: api.HookKindDeploy, Path: "/hooks/v1/deploy/d1"}, Token: "tok"}, nil
		},
	}, nil)
	cmd := newCreateCommand(cli)
	cmd.SetArgs([]string{"deploy", "--stack", "shop", "--service", "web", "--repository", "reg:5000/shop/web", "--tag-pattern", "v*"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(got, api.HookCreateRequest{Kind: "deploy", Stack: "shop", Service: "web", Repository: "reg:5000/shop/web", TagPattern: "v*"}))
	out := cli.OutBuffer().String()
	assert.Check(t, is.Contains(out, "Token:  tok"))
	assert.Check(t, is.Contains(out, "notifications:"), "says how a registry calls it")
	assert.Check(t, !strings.Contains(out, "alertmanager"), "not the scale hook's help")
}

func TestRevokeAndDeployHistory(t *testing.T) {
	var revoked []string
	cli := test.NewFakeCli(&test.FakeManager{
		RevokeHookFunc: func(_ context.Context, id string) (api.Hook, error) {
			revoked = append(revoked, id)
			return api.Hook{ID: id, Revoked: true}, nil
		},
		InspectHookFunc: func(_ context.Context, id string) (api.Hook, error) {
			return api.Hook{ID: id, Kind: api.HookKindDeploy}, nil
		},
		DeployHistoryFunc: func(_ context.Context, hook, _ string) ([]api.DeployDelivery, error) {
			return []api.DeployDelivery{{Hook: hook, Stack: "shop", Format: "registry", Image: "reg:5000/app:2@sha256:ab", Outcome: "deployed", Revision: 4}}, nil
		},
	}, nil)
	cmd := newRevokeCommand(cli)
	cmd.SetArgs([]string{"d1", "d2"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(revoked, []string{"d1", "d2"}))

	cli.OutBuffer().Reset()
	hist := newHistoryCommand(cli)
	hist.SetArgs([]string{"d1", "--format", "{{.Image}} {{.Outcome}} {{.Revision}}"})
	assert.NilError(t, hist.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "reg:5000/app:2@sha256:ab deployed 4\n"))
}
