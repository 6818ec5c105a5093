package registry

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func fakeRegistries() []api.Registry {
	now := time.Now()
	return []api.Registry{
		{Name: "ci", URL: "registry.example.com:5000", Username: "jenkins", HasPassword: true, CA: "-----BEGIN CERTIFICATE-----\n...",
			CreatedAt: now.Add(-3 * time.Hour)},
		{Name: "hub", URL: "registry-1.docker.io", CreatedAt: now.Add(-50 * time.Hour)},
		{Name: "qa-cache", URL: "10.0.0.7:5000", Env: "qa", Insecure: true, Username: "qa", CreatedAt: now.Add(-2 * time.Minute)},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "registry-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "registry-list-quiet.golden"},
		{name: "env", args: []string{"--env", "qa"}, golden: "registry-list-env.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "registry-list-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} {{.Env}} {{.User}} {{.Password}} {{.TLS}}"}, golden: "registry-list-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
				ListRegistriesFunc: func(context.Context) ([]api.Registry, error) { return fakeRegistries(), nil },
			}}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestRemoveOneFails(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
		RemoveRegistryFunc: func(_ context.Context, name string) error {
			calls = append(calls, name)
			if name == "nope" {
				return &api.Error{StatusCode: 404, Message: `registry "nope" does not exist (see ` + "`docker exos registry ls`)"}
			}
			return nil
		},
	}}, nil)
	cmd := newRemoveCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"ci", "nope", "qa-cache"})
	assert.Error(t, cmd.Execute(), "failed to remove registry nope: registry \"nope\" does not exist (see `docker exos registry ls`)")
	assert.Check(t, is.DeepEqual(calls, []string{"ci", "nope", "qa-cache"}))
	golden.Assert(t, cli.OutBuffer().String(), "registry-remove.golden")
}

func TestLoginTest(t *testing.T) {
	fake := &test.FakeManager{FakeRegistry: test.FakeRegistry{
		TestRegistryLoginFunc: func(_ context.Context, name string) (api.RegistryTestResult, error) {
			if name == "ci" {
				return api.RegistryTestResult{Name: name, URL: "registry.example.com:5000", OK: true}, nil
			}
			return api.RegistryTestResult{Name: name, URL: "10.0.0.7:5000",
				Error: `10.0.0.7:5000 refused the credentials of user "qa": check the username and password`}, nil
		},
	}}
	cli := test.NewFakeCli(fake, nil)
	cmd := newLoginTestCommand(cli)
	cmd.SetArgs([]string{"ci"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "OK: logged in to ci (registry.example.com:5000)\n"))

	cli = test.NewFakeCli(fake, nil)
	cmd = newLoginTestCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"qa-cache"})
	assert.Error(t, cmd.Execute(), `login to registry qa-cache (10.0.0.7:5000) failed: 10.0.0.7:5000 refused the credentials of user "qa": check the username and password`)
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}

// TestNameInvalid checks that the commands refuse what cannot be a registry's name (or
// NAME/REPO) before the manager is asked.
func TestNameInvalid(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		args []string
		want string
	}{
		{"rm", []string{"ci", "team/api"}, `invalid registry name "team/api": use letters, digits, '-' or '_' (see ` + "`docker exos registry ls`)"},
		{"login-test", []string{"a:b"}, `invalid registry name "a:b"`},
		{"repos", []string{"ci/team"}, `invalid registry name "ci/team"`},
		{"tags", []string{"ci"}, `"ci": give NAME/REPO, where NAME is the registry's name in EXOS (see ` + "`docker exos registry ls`) and REPO a repository of it"},
		{"tags", []string{"ci/"}, `"ci/": give NAME/REPO`},
		{"tags", []string{"/team/api"}, `invalid registry name ""`},
		{"inspect", []string{"ci", "ci/"}, `"ci/": give NAME/REPO[:TAG] or NAME/REPO@DIGEST`},
		{"repos", []string{"ci", "--limit", "0"}, "--limit must be at least 1 (or use --all)"},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			cli := test.NewFakeCli(nil, nil)
			cli.SetManagerErr(errCalled)
			cmd := map[string]func() *cobra.Command{
				"rm": func() *cobra.Command { return newRemoveCommand(cli) }, "login-test": func() *cobra.Command { return newLoginTestCommand(cli) },
				"repos": func() *cobra.Command { return newReposCommand(cli) }, "tags": func() *cobra.Command { return newTagsCommand(cli) },
				"inspect": func() *cobra.Command { return newInspectCommand(cli) },
			}[tc.cmd]()
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.ErrorContains(t, cmd.Execute(), tc.want)
		})
	}
}
