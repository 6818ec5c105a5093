//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// TestLauncherServesReadsAsTheFullCLI: docker-exos answers `stack ls` and `stack
// containers` itself once the manager was found, with what the full CLI (exos-cli)
// prints, through DOCKER_HOST and through a named docker context. The launcher is
// proved to answer alone by copying it, without exos-cli, into a Docker config of its
// own with the plugin's saved files: there, everything it does not serve fails, saying
// what is missing, and so do the reads when EXOS_TOKEN asks for the full CLI. A refusal
// of the manager's is printed as exos-cli prints it.
func TestLauncherServesReadsAsTheFullCLI(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	file := filepath.Join(t.TempDir(), "web.yml")
	assert.NilError(t, os.WriteFile(file, []byte(benchStack(2, 2)), 0o644))
	e.run("stack", "deploy", "--wait", "-c", file, "web").Assert(t, icmd.Success)
	full := append(e.env(1), "EXOS_TOKEN="+e.saved().Token) // a token of the user's: exos-cli serves

	alone := launcherAlone(t, e)
	lonely := replaceEnv(e.env(1), "DOCKER_CONFIG", alone)
	reads := [][]string{
		{"stack", "ls", "--format", "{{.Name}} {{.Services}} {{.Env}} {{.Revision}} {{.State}} {{.Drift}} {{.Template}}"},
		{"stack", "ls", "-qa"},
		{"stack", "list", "--format={{.Name}}", "--all"},
		{"stack", "containers", "-q", "web"},
		{"stack", "ps", "--no-trunc", "web", "--format", "{{.ID}} {{.Name}} {{.Image}} {{.Node}} {{.DesiredState}} {{.Error}} {{.Ports}}"},
	}
	for _, args := range reads {
		want := runPlugin(full, args...)
		want.Assert(t, icmd.Success)
		got := runPlugin(lonely, args...)
		got.Assert(t, icmd.Success)
		assert.Check(t, is.Equal(got.Stdout(), want.Stdout()), "%v", args)
		assert.Check(t, strings.TrimSpace(got.Stdout()) != "", "%v", args)
	}
	table := runPlugin(lonely, "stack", "containers", "web")
	table.Assert(t, icmd.Success)
	header := strings.SplitN(runPlugin(full, "stack", "containers", "web").Stdout(), "\n", 2)[0]
	assert.Check(t, is.DeepEqual(strings.Fields(strings.SplitN(table.Stdout(), "\n", 2)[0]), strings.Fields(header)))
	assert.Check(t, is.Equal(strings.Count(table.Stdout(), "web_s00"), 4), table.Stdout())

	// The manager's refusal: the launcher prints what exos-cli prints, with its exit code.
	want := runPlugin(full, "stack", "containers", "nosuch")
	got := runPlugin(lonely, "stack", "containers", "nosuch")
	assert.Check(t, is.Equal(got.ExitCode, 1))
	assert.Check(t, is.Equal(got.ExitCode, want.ExitCode))
	assert.Check(t, is.Equal(got.Stderr(), want.Stderr()))
	assert.Check(t, is.Contains(got.Stderr(), "nosuch"))

	missing := icmd.Expected{ExitCode: 1, Err: "the EXOS plugin is incomplete: cannot run " + filepath.Join(alone, "cli-plugins", "exos-cli")}
	runPlugin(lonely, "stack", "inspect", "web").Assert(t, missing)
	runPlugin(lonely, "stack", "ls", "--help").Assert(t, missing)
	runPlugin(append(lonely, "EXOS_TOKEN="+e.saved().Token), "stack", "ls").Assert(t, missing)

	// A named context: the full CLI finds the manager through it once, then the launcher
	// serves through it alone.
	e.docker("context", "create", "bed", "--docker", "host="+e.sw.Nodes[0].Host).Assert(t, icmd.Success)
	viaContext := append(removeEnv(e.env(1), "DOCKER_HOST"), "DOCKER_CONTEXT=bed")
	want = runPlugin(viaContext, "stack", "ls", "-q")
	want.Assert(t, icmd.Success)
	alone = launcherAlone(t, e)
	got = runPlugin(replaceEnv(viaContext, "DOCKER_CONFIG", alone), "stack", "ls", "-q")
	got.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(got.Stdout(), want.Stdout()))
}

// launcherAlone is a Docker config holding a copy of docker-exos without exos-cli beside
// it, and a copy of e's contexts and saved EXOS files (tokens, pinned CA, endpoint cache).
func launcherAlone(t *testing.T, e *exos) string {
	t.Helper()
	cfg := t.TempDir()
	launcher, err := os.ReadFile(filepath.Join(buildDir(t), "docker-exos"))
	assert.NilError(t, err)
	assert.NilError(t, os.MkdirAll(filepath.Join(cfg, "cli-plugins"), 0o755))
	assert.NilError(t, os.WriteFile(filepath.Join(cfg, "cli-plugins", "docker-exos"), launcher, 0o755))
	for _, dir := range []string{"exos", "contexts"} {
		if _, err := os.Stat(filepath.Join(e.dockerConfig, dir)); err == nil {
			assert.NilError(t, os.CopyFS(filepath.Join(cfg, dir), os.DirFS(filepath.Join(e.dockerConfig, dir))))
		}
	}
	return cfg
}

func runPlugin(env []string, args ...string) *icmd.Result {
	return icmd.RunCmd(icmd.Command("docker", append([]string{"exos"}, args...)...), icmd.WithEnv(env...), icmd.WithTimeout(time.Minute))
}

func replaceEnv(env []string, name, value string) []string {
	return append(removeEnv(env, name), name+"="+value)
}

func removeEnv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
