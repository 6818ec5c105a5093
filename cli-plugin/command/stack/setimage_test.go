package stack

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

const pinnedWeb = "reg.example:5000/shop/web:2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestSetImage(t *testing.T) {
	for _, tc := range []struct {
		name, golden string
		args         []string
		unchanged    bool
		guarded      bool
	}{
		{name: "deployed", args: []string{"shop", "web", "reg.example:5000/shop/web:2"}, golden: "stack-set-image.golden"},
		{name: "guarded", args: []string{"--guarded", "shop", "web", "reg.example:5000/shop/web:2"}, guarded: true, golden: "stack-set-image.golden"},
		{name: "already running", args: []string{"shop", "web", "reg.example:5000/shop/web:2"}, unchanged: true, golden: "stack-set-image-unchanged.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent api.SetImageRequest
			cli := test.NewFakeCli(&test.FakeManager{FakeStackImages: test.FakeStackImages{
				SetStackImageFunc: func(_ context.Context, name string, req api.SetImageRequest) (api.SetImageResult, error) {
					sent = req
					res := api.SetImageResult{Image: pinnedWeb, Unchanged: tc.unchanged,
						DeployResult: api.DeployResult{Stack: name, Revision: 4, Services: []api.ServiceChange{{Name: "shop_db", Action: "unchanged"}, {Name: "shop_web", Action: "updated"}}}}
					return res, nil
				},
			}}, nil)
			cmd := newSetImageCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(sent, api.SetImageRequest{Service: "web", Image: "reg.example:5000/shop/web:2", Guarded: tc.guarded}))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestSetImageError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{FakeStackImages: test.FakeStackImages{
		SetStackImageFunc: func(context.Context, string, api.SetImageRequest) (api.SetImageResult, error) {
			return api.SetImageResult{}, &api.Error{StatusCode: 422, Message: `registry ci (reg.example:5000) has no tag "9" of reg.example:5000/shop/web`}
		},
	}}, nil)
	cmd := newSetImageCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"shop", "web", "reg.example:5000/shop/web:9"})
	err := cmd.Execute()
	assert.Error(t, err, `failed to set the image of service web of stack shop: registry ci (reg.example:5000) has no tag "9" of reg.example:5000/shop/web`)
	assert.Check(t, is.ErrorIs(err, api.ErrUnprocessable))
}
