package stack

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		assert.NilError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		assert.NilError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

const validCompose = `services:
  api:
    image: registry.local/api:${API_TAG:-1.4}
    configs: [nginx_conf]
configs:
  nginx_conf:
    file: ./conf/nginx.conf
`

func TestDeploySendsFilesVariablesAndAttachments(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": validCompose, "conf/nginx.conf": "server {}\n"})
	t.Setenv("API_TAG", "1.5")
	t.Setenv("UNRELATED_SECRET", "never sent")
	var got api.DeployRequest
	cli := test.NewFakeCli(&test.FakeManager{
		DeployStackFunc: func(_ context.Context, name string, req api.DeployRequest) (api.DeployResult, error) {
			got = req
			return api.DeployResult{Stack: name, Revision: 4, Services: []api.ServiceChange{
				{Name: "web_api", Action: "updated"}, {Name: "web_old", Action: "removed"},
			}}, nil
		},
	}, nil)
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", filepath.Join(dir, "docker-compose.yml"), "--env", "prod", "web"})
	assert.NilError(t, cmd.Execute())

	assert.Check(t, is.Len(got.ComposeFiles, 1))
	assert.Check(t, is.Equal(got.ComposeFiles[0].Content, validCompose))
	assert.Check(t, is.DeepEqual(got.Variables, map[string]string{"API_TAG": "1.5"}))
	assert.Check(t, is.DeepEqual(got.Attachments, []api.File{{Name: "./conf/nginx.conf", Content: "server {}\n"}}))
	assert.Check(t, is.Equal(got.Env, "prod"))
	golden.Assert(t, cli.OutBuffer().String(), "stack-deploy.golden")
}

func TestDeployFromStdin(t *testing.T) {
	var got api.DeployRequest
	cli := test.NewFakeCli(&test.FakeManager{
		DeployStackFunc: func(_ context.Context, name string, req api.DeployRequest) (api.DeployResult, error) {
			got = req
			return api.DeployResult{Stack: name, Revision: 1}, nil
		},
	}, nil)
	cli.SetIn("services:\n  api:\n    image: exos/busybox:1\n")
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", "-", "web"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(got.ComposeFiles[0].Name, "stdin"))
}

func TestDeployValidationErrorSendsNothing(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": `services:
  api:
    image: exos/busybox:1
    deploy:
      replicas: lots
configs:
  nginx_conf:
    file: ./missing.conf
`})
	cli := test.NewFakeCli(&test.FakeManager{
		DeployStackFunc: func(context.Context, string, api.DeployRequest) (api.DeployResult, error) {
			t.Fatal("an invalid stack was sent to the manager")
			return api.DeployResult{}, nil
		},
	}, nil)
	cmd := newDeployCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	compose := filepath.Join(dir, "docker-compose.yml")
	cmd.SetArgs([]string{"-c", compose, "web"})
	err := cmd.Execute()
	assert.ErrorContains(t, err, "stack web is not valid (1 problem; nothing was deployed):")
	assert.ErrorContains(t, err, compose+":8: configs.nginx_conf.file: file "+filepath.Join(dir, "missing.conf")+" does not exist")
}

func TestDeployValidationErrorNamesFileLineKey(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": `services:
  api:
    image: exos/busybox:1
    deploy:
      replicas: lots
`})
	in, err := loadInput("web", fileOptions{composeFiles: []string{filepath.Join(dir, "docker-compose.yml")}}, nil, noEnv)
	assert.NilError(t, err)
	in.ComposeFiles[0].Name = "docker-compose.yml" // keep the temp dir out of the golden file
	_, err = composeext.Load(context.Background(), in)
	err = localError("web", err)
	var status cli.StatusError
	assert.Assert(t, errors.As(err, &status))
	assert.Check(t, is.Equal(status.StatusCode, 1))
	golden.Assert(t, err.Error(), "stack-deploy-invalid.golden")
}

func noEnv(string) (string, bool) { return "", false }

func TestPrintResultSaysWhenAStackMoves(t *testing.T) {
	var out bytes.Buffer
	PrintResult(&out, "deployed", api.DeployResult{Stack: "shop", Revision: 4, Env: "prod", Moved: true, PreviousEnv: "qa",
		Services: []api.ServiceChange{{Name: "shop_web", Action: "unchanged"}}})
	PrintResult(&out, "deployed", api.DeployResult{Stack: "blog", Revision: 2, Env: "qa", Moved: true})
	assert.Check(t, is.Equal(out.String(), "Stack shop deployed as revision 4\nStack shop moved from environment qa to environment prod\n  unchanged shop_web\n"+
		"Stack blog deployed as revision 2\nStack blog moved from no environment to environment qa\n"))
}
