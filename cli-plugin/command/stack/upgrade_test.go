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

func redisTemplate(version string) *api.TemplateSource {
	return &api.TemplateSource{Catalog: "library", Template: "redis", Version: version, Commit: "embedded"}
}

// upgradable lists stack cache as deployed from library/redis 7.2.4, and upgrades it to
// 7.2.5, recording what it was asked.
func upgradable(got *api.StackUpgradeRequest) *test.FakeManager {
	return &test.FakeManager{
		ListStacksFunc: func(context.Context) ([]api.Stack, error) {
			return []api.Stack{
				{Name: "web", Services: 2, Revision: 3},
				{Name: "cache", Services: 1, Revision: 1, Template: redisTemplate("7.2.4"), UpgradeTo: "7.2.5"},
			}, nil
		},
		UpgradeStackFunc: func(_ context.Context, name string, req api.StackUpgradeRequest) (api.DeployResult, error) {
			*got = req
			return api.DeployResult{Stack: name, Revision: 2, Template: redisTemplate("7.2.5"),
				Services: []api.ServiceChange{{Name: "cache_redis", Action: "updated"}}}, nil
		},
	}
}

func TestUpgrade(t *testing.T) {
	testCases := []struct {
		name  string
		args  []string
		stdin string
		want  api.StackUpgradeRequest
	}{
		{name: "newest allowed", args: []string{"cache"}},
		{name: "version and answers", args: []string{"--version", "7.2.5", "--answers", "-", "--set", "REDIS_MAXMEMORY=512mb", "cache"},
			stdin: "REDIS_APPENDONLY: true\n",
			want: api.StackUpgradeRequest{Version: "7.2.5", Answers: &api.File{Name: "stdin", Content: "REDIS_APPENDONLY: true\n"},
				Sets: []string{"REDIS_MAXMEMORY=512mb"}}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got api.StackUpgradeRequest
			cli := test.NewFakeCli(upgradable(&got), nil)
			cli.SetIn(tc.stdin)
			cmd := newUpgradeCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(got, tc.want))
			golden.Assert(t, cli.OutBuffer().String(), "stack-upgrade.golden")
		})
	}
}

func TestUpgradeWait(t *testing.T) {
	var got api.StackUpgradeRequest
	mgr := upgradable(&got)
	mgr.StackServicesFunc = func(context.Context, string, api.QueryOptions) ([]api.Service, uint64, error) {
		return []api.Service{{Name: "cache_redis", Desired: 1, Running: 1, Revision: 2}}, 1, nil
	}
	cli := test.NewFakeCli(mgr, nil)
	cmd := newUpgradeCommand(cli)
	cmd.SetArgs([]string{"--wait", "cache"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "stack-upgrade-wait.golden")
}

func TestUpgradeNotFromTemplate(t *testing.T) {
	var got api.StackUpgradeRequest
	mgr := upgradable(&got)
	mgr.UpgradeStackFunc = func(context.Context, string, api.StackUpgradeRequest) (api.DeployResult, error) {
		return api.DeployResult{}, &api.Error{StatusCode: 400, Message: "stack web was not deployed from a catalog template"}
	}
	cli := test.NewFakeCli(mgr, nil)
	cmd := newUpgradeCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"web"})
	assert.Error(t, cmd.Execute(), "failed to upgrade stack web: stack web was not deployed from a catalog template")
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}

func TestUpgradeInvalidSetSendsNothing(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		UpgradeStackFunc: func(context.Context, string, api.StackUpgradeRequest) (api.DeployResult, error) {
			t.Fatal("an invalid upgrade was sent to the manager")
			return api.DeployResult{}, nil
		},
	}, nil)
	cmd := newUpgradeCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--set", "REDIS_MAXMEMORY", "cache"})
	assert.Error(t, cmd.Execute(), `invalid --set "REDIS_MAXMEMORY": use VARIABLE=VALUE, such as --set REDIS_PASSWORD=s3cret`)
}
