package stack

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/docker/cli/cli/config/types"
	"github.com/docker/docker/api/types/registry"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const threeRegistriesCompose = `services:
  app:
    image: reg.example:5000/team/app:1
  side:
    image: exos/busybox:1
  other:
    image: other.example/tools/x:2
  again:
    image: reg.example:5000/team/worker:1
`

// deployRecorder is a fake manager that keeps the deploy request it was sent.
func deployRecorder(got *api.DeployRequest) *test.FakeManager {
	return &test.FakeManager{
		DeployStackFunc: func(_ context.Context, name string, req api.DeployRequest) (api.DeployResult, error) {
			*got = req
			return api.DeployResult{Stack: name, Revision: 1, Services: []api.ServiceChange{{Name: name + "_app", Action: "created"}}}, nil
		},
	}
}

func TestWithRegistryAuthSendsTheCredentialsOfDockerLogin(t *testing.T) {
	file := filepath.Join(writeFiles(t, map[string]string{"docker-compose.yml": threeRegistriesCompose}), "docker-compose.yml")
	var got api.DeployRequest
	cli := test.NewFakeCli(deployRecorder(&got), nil)
	cli.ConfigFile().AuthConfigs = map[string]types.AuthConfig{
		"reg.example:5000":            {Username: "ci", Password: "reg-pw", ServerAddress: "reg.example:5000"},
		"https://index.docker.io/v1/": {Username: "hubuser", Password: "hub-pw"},
	}
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", file, "--with-registry-auth", "web"})
	assert.NilError(t, cmd.Execute())

	assert.Check(t, is.Len(got.RegistryAuth, 2), "other.example has no credentials: %v", got.RegistryAuth)
	for host, user := range map[string]string{"reg.example:5000": "ci", "docker.io": "hubuser"} {
		auth, err := registry.DecodeAuthConfig(got.RegistryAuth[host])
		assert.NilError(t, err)
		assert.Check(t, is.Equal(auth.Username, user), host)
	}

	cmd = newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", file, "web"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Len(got.RegistryAuth, 0), "without --with-registry-auth no credential leaves the client")
}

func TestDockerStackDeployFlags(t *testing.T) {
	file := filepath.Join(writeFiles(t, map[string]string{"docker-compose.yml": threeRegistriesCompose}), "docker-compose.yml")
	run := func(args ...string) (*test.FakeCli, bool, error) {
		var got api.DeployRequest
		mgr := deployRecorder(&got)
		mgr.StackServicesFunc = func(context.Context, string, api.QueryOptions) ([]api.Service, uint64, error) {
			return nil, 0, errors.New("waiting started")
		}
		cli := test.NewFakeCli(mgr, nil)
		cmd := newDeployCommand(cli)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		cmd.SetArgs(append(append([]string{"-c", file}, args...), "web"))
		err := cmd.Execute()
		return cli, got.ComposeFiles != nil, err
	}

	cli, sent, err := run("-q", "--resolve-image", "changed")
	assert.NilError(t, err)
	assert.Check(t, sent)
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""), "--quiet prints no progress")

	_, _, err = run("-d")
	assert.NilError(t, err, "--detach is the default: no wait")
	_, _, err = run("--detach=false")
	assert.ErrorContains(t, err, "waiting started", "--detach=false waits")

	_, sent, err = run("--wait", "-d")
	assert.Error(t, err, "--wait and --detach cannot be used together: --detach=false waits, as --wait does")
	assert.Check(t, !sent)

	_, sent, err = run("--resolve-image", "sometimes")
	assert.Error(t, err, `invalid option "sometimes" for flag --resolve-image: it is always, changed or never`)
	assert.Check(t, !sent)

	cli, sent, err = run("--resolve-image", "never")
	assert.NilError(t, err)
	assert.Check(t, sent)
	assert.Check(t, is.Contains(cli.ErrBuffer().String(), "WARNING: --resolve-image never: the images of registries EXOS knows"))
}
