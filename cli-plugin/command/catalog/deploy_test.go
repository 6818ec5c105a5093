package catalog

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

const redisAnswers = "REDIS_MAXMEMORY: 256mb\nREDIS_PASSWORD: s3cret\n"

func redisSource(commit string) *api.TemplateSource {
	return &api.TemplateSource{Catalog: "library", Template: "redis", Version: "7.2.5", Number: 3, Commit: commit}
}

// deployed answers a template deploy as the manager would: one service created.
func deployed(source *api.TemplateSource) func(context.Context, string, api.TemplateDeployRequest) (api.DeployResult, error) {
	return func(_ context.Context, name string, _ api.TemplateDeployRequest) (api.DeployResult, error) {
		return api.DeployResult{Stack: name, Revision: 1, Template: source,
			Services: []api.ServiceChange{{Name: name + "_redis", Action: "created"}}}, nil
	}
}

func TestDeployRequest(t *testing.T) {
	answersFile := filepath.Join(t.TempDir(), "redis.yml")
	assert.NilError(t, os.WriteFile(answersFile, []byte(redisAnswers), 0o644))
	testCases := []struct {
		name  string
		args  []string
		stdin string
		want  api.TemplateDeployRequest
	}{
		{name: "default version", args: []string{"library/redis", "--name", "cache"},
			want: api.TemplateDeployRequest{Template: "library/redis"}},
		{name: "version, env, sets verbatim", args: []string{"library/redis:7.2.5", "--name", "cache", "--env", "qa",
			"--set", "REDIS_MAXMEMORY=1gb", "--set", "REDIS_ARGS=--save 60,1 --appendonly=yes"},
			want: api.TemplateDeployRequest{Template: "library/redis:7.2.5", Env: "qa",
				Sets: []string{"REDIS_MAXMEMORY=1gb", "REDIS_ARGS=--save 60,1 --appendonly=yes"}}},
		{name: "answers file", args: []string{"library/redis", "--name", "cache", "--answers", answersFile},
			want: api.TemplateDeployRequest{Template: "library/redis", Answers: &api.File{Name: answersFile, Content: redisAnswers}}},
		{name: "answers from stdin", args: []string{"library/redis", "--name", "cache", "--answers", "-"}, stdin: redisAnswers,
			want: api.TemplateDeployRequest{Template: "library/redis", Answers: &api.File{Name: "stdin", Content: redisAnswers}}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var gotStack string
			var got api.TemplateDeployRequest
			cli := test.NewFakeCli(&test.FakeManager{
				DeployTemplateFunc: func(_ context.Context, name string, req api.TemplateDeployRequest) (api.DeployResult, error) {
					gotStack, got = name, req
					return api.DeployResult{Stack: name, Revision: 1}, nil
				},
			}, nil)
			cli.SetIn(tc.stdin)
			cmd := newDeployCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(gotStack, "cache"))
			assert.Check(t, is.DeepEqual(got, tc.want))
		})
	}
}

func TestDeployOutput(t *testing.T) {
	testCases := []struct {
		name   string
		source *api.TemplateSource
		golden string
	}{
		{name: "git catalog", source: redisSource(communityCommit), golden: "catalog-deploy.golden"},
		{name: "embedded library", source: redisSource("embedded"), golden: "catalog-deploy-embedded.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{DeployTemplateFunc: deployed(tc.source)}, nil)
			cmd := newDeployCommand(cli)
			cmd.SetArgs([]string{"library/redis", "--name", "cache"})
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestDeployWait(t *testing.T) {
	var asked int
	cli := test.NewFakeCli(&test.FakeManager{
		DeployTemplateFunc: deployed(redisSource("embedded")),
		StackServicesFunc: func(_ context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error) {
			asked++
			if q.WaitIndex == 0 {
				return []api.Service{{Name: name + "_redis", Desired: 1, Revision: 1}}, 1, nil
			}
			return []api.Service{{Name: name + "_redis", Desired: 1, Running: 1, Revision: 1}}, 2, nil
		},
	}, nil)
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"library/redis", "--name", "cache", "--wait"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(asked, 2))
	golden.Assert(t, cli.OutBuffer().String(), "catalog-deploy-wait.golden")
}

// TestDeployInvalid checks that bad arguments fail before the manager is asked for anything.
func TestDeployInvalid(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yml")
	testCases := []struct {
		name string
		args []string
		want string
	}{
		{name: "missing --name", args: []string{"library/redis"},
			want: "--name is required: name the stack to deploy library/redis as, such as --name cache"},
		{name: "no catalog", args: []string{"redis", "--name", "cache"},
			want: `invalid template "redis": use CATALOG/NAME or CATALOG/NAME:VERSION, such as library/redis or library/redis:7.4.1-exos1 (see ` + "`docker exos template ls`" + `)`},
		{name: "empty version", args: []string{"library/redis:", "--name", "cache"},
			want: `invalid template "library/redis:": use CATALOG/NAME or CATALOG/NAME:VERSION, such as library/redis or library/redis:7.4.1-exos1 (see ` + "`docker exos template ls`" + `)`},
		{name: "--set without =", args: []string{"library/redis", "--name", "cache", "--set", "REDIS_PASSWORD"},
			want: `invalid --set "REDIS_PASSWORD": use VARIABLE=VALUE, such as --set REDIS_PASSWORD=s3cret`},
		{name: "--set without variable", args: []string{"library/redis", "--name", "cache", "--set", "=s3cret"},
			want: `invalid --set "=s3cret": use VARIABLE=VALUE, such as --set REDIS_PASSWORD=s3cret`},
		{name: "answers file missing", args: []string{"library/redis", "--name", "cache", "--answers", missing},
			want: "failed to read answers from " + missing + ": open " + missing + ": no such file or directory"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			cli := test.NewFakeCli(&test.FakeManager{
				DeployTemplateFunc: func(context.Context, string, api.TemplateDeployRequest) (api.DeployResult, error) {
					called = true
					return api.DeployResult{}, nil
				},
			}, nil)
			cmd := newDeployCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.Error(t, cmd.Execute(), tc.want)
			assert.Check(t, !called, "the manager was called")
		})
	}
}

// TestDeployManagerError checks that the manager's problems with the answers reach the
// user one per line.
func TestDeployManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		DeployTemplateFunc: func(context.Context, string, api.TemplateDeployRequest) (api.DeployResult, error) {
			return api.DeployResult{}, &api.Error{StatusCode: 400, Message: "the answers to library/redis:7.2.5 are not valid", Problems: []api.Problem{
				{File: "redis.yml", Line: 2, Key: "REDIS_MAXMEMORY", Message: `"lots" is not an int`},
				{Key: "REDIS_PASSWORD", Message: "required question has no answer"},
			}}
		},
	}, nil)
	cmd := newDeployCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"library/redis:7.2.5", "--name", "cache"})
	err := cmd.Execute()
	assert.Assert(t, err != nil)
	golden.Assert(t, err.Error(), "catalog-deploy-problems.golden")
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}
