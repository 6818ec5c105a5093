package stack

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

// A file docker stack deploy takes with warnings: a relative and a home bind, keys it
// ignores, an unset variable, an env file.
const warnedCompose = `services:
  api:
    image: registry.local/api:1.4
    restart: always
    container_name: api
    env_file: ./api.env
    environment:
      REGION: ${REGION}
    volumes:
      - ./data:/data
      - ~/cache:/cache
`

// goldenPath is the golden file's absolute path: these tests change directory, as
// relative paths must be resolved against the compose file's.
func goldenPath(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(packageDir, "testdata", name)
}

// packageDir is the test's starting directory, before any t.Chdir.
var packageDir, _ = os.Getwd()

func recordingManager(got *api.DeployRequest, res api.DeployResult) *test.FakeManager {
	return &test.FakeManager{
		DeployStackFunc: func(_ context.Context, name string, req api.DeployRequest) (api.DeployResult, error) {
			*got = req
			res.Stack = name
			return res, nil
		},
	}
}

// The plugin sends the directories docker would resolve binds against, --prune and
// --strict, the env files and the variables they take from the shell; it prints the
// local warnings once, and the services the manager kept.
func TestDeployWarnsAndSendsWhatDockerReads(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": warnedCompose, "api.env": "TOKEN\nLEVEL=debug\n"})
	t.Chdir(dir)
	t.Setenv("HOME", "/home/dev")
	t.Setenv("TOKEN", "t0k3n")
	t.Setenv("REGION", "restored after the test")
	assert.NilError(t, os.Unsetenv("REGION")) // unset: blank, with a warning
	var got api.DeployRequest
	cli := test.NewFakeCli(recordingManager(&got, api.DeployResult{
		Revision: 2, Services: []api.ServiceChange{{Name: "web_api", Action: "updated"}},
		NotInRevision: []string{"web_old"},
		Warnings:      []api.Problem{{Message: "the manager's copy, not printed again"}},
	}), nil)
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", "docker-compose.yml", "--prune", "web"})
	assert.NilError(t, cmd.Execute())

	assert.Check(t, is.Equal(got.WorkingDir, dir))
	assert.Check(t, is.Equal(got.HomeDir, "/home/dev"))
	assert.Check(t, got.Prune)
	assert.Check(t, !got.Strict)
	assert.Check(t, is.DeepEqual(got.Attachments, []api.File{{Name: "./api.env", Content: "TOKEN\nLEVEL=debug\n"}}))
	assert.Check(t, is.Equal(got.Variables["TOKEN"], "t0k3n"))
	golden.Assert(t, cli.ErrBuffer().String(), goldenPath(t, "stack-deploy-warnings.golden"))
	golden.Assert(t, cli.OutBuffer().String(), goldenPath(t, "stack-deploy-kept.golden"))
}

func TestDeployStrictRefusesWarnings(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": warnedCompose, "api.env": ""})
	t.Chdir(dir)
	cli := test.NewFakeCli(&test.FakeManager{
		DeployStackFunc: func(context.Context, string, api.DeployRequest) (api.DeployResult, error) {
			t.Fatal("a stack with warnings was sent under --strict")
			return api.DeployResult{}, nil
		},
	}, nil)
	cmd := newDeployCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"-c", "docker-compose.yml", "--strict", "web"})
	err := cmd.Execute()
	assert.ErrorContains(t, err, "stack web is not valid (3 problems; nothing was deployed):")
	assert.ErrorContains(t, err, "docker-compose.yml:4: services.api.restart: refused by --strict (a warning otherwise): Ignoring unsupported options: restart")
	assert.Check(t, is.Equal(cli.ErrBuffer().String(), ""), "the refused warnings are the error, not printed twice")
}

// For -c - the working directory is the current one, as docker takes it.
func TestDeployFromStdinResolvesAgainstTheCurrentDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var got api.DeployRequest
	cli := test.NewFakeCli(recordingManager(&got, api.DeployResult{Revision: 1}), nil)
	cli.SetIn("services:\n  api:\n    image: exos/busybox:1\n    volumes: [./data:/data]\n")
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", "-", "web"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(got.WorkingDir, dir))
}

func TestDeployMissingEnvFileSendsNothing(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": "services:\n  api:\n    image: x\n    env_file: [a.env, ./missing.env]\n", "a.env": "A=1\n"})
	t.Chdir(dir)
	cli := test.NewFakeCli(&test.FakeManager{}, nil)
	cmd := newDeployCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"-c", "docker-compose.yml", "web"})
	assert.ErrorContains(t, cmd.Execute(), "docker-compose.yml:4: services.api.env_file.1: file missing.env does not exist")
}

func TestConfigPrintsWarnings(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": warnedCompose, "api.env": ""})
	t.Chdir(dir)
	t.Setenv("HOME", "/home/dev")
	cli := test.NewFakeCli(nil, nil)
	cmd := newConfigCommand(cli)
	cmd.SetArgs([]string{"--specs", "-c", "docker-compose.yml", "web"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.ErrBuffer().String(), goldenPath(t, "stack-deploy-warnings.golden"))
	assert.Check(t, is.Contains(cli.OutBuffer().String(), `"Source": "`+filepath.Join(dir, "data")+`"`))
	assert.Check(t, is.Contains(cli.OutBuffer().String(), `"Source": "/home/dev/cache"`))

	cmd = newConfigCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--specs", "--strict", "-c", "docker-compose.yml", "web"})
	assert.ErrorContains(t, cmd.Execute(), "refused by --strict")
}
