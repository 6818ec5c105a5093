//go:build e2e

// Package e2e tests EXOS end to end: the real plugin binary, the real manager image running as
// a Swarm service, on disposable swarms that the tests start and tear down themselves.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// buildDir holds what `make e2e` built: docker-exos, exos-manager and images/*.tar.
func buildDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("EXOS_BUILD_DIR")
	if dir == "" {
		t.Fatal("EXOS_BUILD_DIR is not set: run the e2e tests with `make e2e`, which builds the binaries and images first")
	}
	return dir
}

func managerImage() string { return "exos/manager:" + os.Getenv("EXOS_VERSION") }

// exos is one EXOS installation on a disposable swarm, driven through the real plugin.
type exos struct {
	t            testing.TB
	sw           *testbed.Swarm
	engine       *client.Client
	dockerConfig string
	api          *api.Client
	// http verifies the manager with the CA install pinned, for requests the API client
	// does not make (hooks, /metrics); caFile holds that CA, for Alertmanager.
	http   *http.Client
	caFile string
}

// start brings up a swarm of n nodes, installs the manager on it and returns the handle.
func start(t testing.TB, opts testbed.Options) *exos {
	t.Helper()
	dir := buildDir(t)
	opts.Images = append(opts.Images, testbed.BusyboxImage(t), filepath.Join(dir, "images", "exos-manager.tar"))
	sw := testbed.Start(t, opts)
	e := &exos{t: t, sw: sw, engine: sw.Client(t, 1), dockerConfig: pluginConfig(t, dir)}
	res := e.run("manager", "install", "--image", managerImage(), "--docker-socket", strings.TrimPrefix(sw.Nodes[0].Host, "unix://"),
		"--agent-docker-socket", agentSocket(sw))
	res.Assert(t, icmd.Success)
	e.connect()
	return e
}

// connect points e.api and e.http at the manager as install left it: over HTTPS, trusting
// only the CA install saved beside the token (plain HTTP when it saved none).
func (e *exos) connect() {
	saved := e.saved()
	if saved.CA == "" {
		e.caFile, e.http = "", &http.Client{Timeout: 10 * time.Second}
		e.api = api.NewClient(fmt.Sprintf("http://%s:7420", e.sw.Nodes[0].IP), saved.Token, nil)
		return
	}
	e.caFile = filepath.Join(e.t.TempDir(), "exos-ca.pem")
	assert.NilError(e.t, os.WriteFile(e.caFile, []byte(saved.CA), 0o600))
	var err error
	e.http, err = api.HTTPClientWithCA([]byte(saved.CA))
	assert.NilError(e.t, err)
	e.http.Timeout = 10 * time.Second
	apiHTTP, err := api.HTTPClientWithCA([]byte(saved.CA)) // its own timeout: blocking queries wait 30 s
	assert.NilError(e.t, err)
	e.api = api.NewClient(fmt.Sprintf("https://%s:7420", e.sw.Nodes[0].IP), saved.Token, apiHTTP)
}

// pluginConfig makes a private Docker config dir whose cli-plugins holds the built plugin.
func pluginConfig(t testing.TB, dir string) string {
	cfg := t.TempDir()
	assert.NilError(t, os.MkdirAll(filepath.Join(cfg, "cli-plugins"), 0o755))
	assert.NilError(t, os.Symlink(filepath.Join(dir, "docker-exos"), filepath.Join(cfg, "cli-plugins", "docker-exos")))
	return cfg
}

// run runs `docker exos ARGS` against node 1.
func (e *exos) run(args ...string) *icmd.Result {
	return e.runOn(1, args...)
}

func (e *exos) runOn(node int, args ...string) *icmd.Result {
	cmd := icmd.Command("docker", append([]string{"exos"}, args...)...)
	return icmd.RunCmd(cmd, icmd.WithEnv(e.env(node)...), icmd.WithTimeout(3*time.Minute))
}

// command is `docker exos ARGS` against node 1, to start in the background.
func (e *exos) command(args ...string) icmd.Cmd {
	cmd := icmd.Command("docker", append([]string{"exos"}, args...)...)
	cmd.Env = e.env(1)
	return cmd
}

// docker runs plain `docker ARGS` against node 1.
func (e *exos) docker(args ...string) *icmd.Result {
	return icmd.RunCmd(icmd.Command("docker", args...), icmd.WithEnv(e.env(1)...), icmd.WithTimeout(3*time.Minute))
}

func (e *exos) env(node int) []string {
	env := []string{"DOCKER_HOST=" + e.sw.Nodes[node-1].Host, "DOCKER_CONFIG=" + e.dockerConfig}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOCKER_") && !strings.HasPrefix(kv, "EXOS_") {
			env = append(env, kv)
		}
	}
	return env
}

// savedLogin is the login file `manager install` writes: the token and the pinned CA.
type savedLogin struct {
	Token string `json:"token"`
	CA    string `json:"ca"`
}

func (e *exos) saved() savedLogin {
	data, err := os.ReadFile(e.loginFile())
	assert.NilError(e.t, err)
	var saved savedLogin
	assert.NilError(e.t, json.Unmarshal(data, &saved))
	return saved
}

// loginFile is where the plugin keeps the token and the CA for this swarm.
func (e *exos) loginFile() string {
	info, err := e.engine.Info(context.Background())
	assert.NilError(e.t, err)
	return filepath.Join(e.dockerConfig, "exos", info.Swarm.Cluster.ID+".json")
}

// jsonLines decodes `--format json` output: one object per line.
func jsonLines[T any](t testing.TB, out string) []T {
	t.Helper()
	var rows []T
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var row T
		assert.NilError(t, json.Unmarshal([]byte(line), &row), line)
		rows = append(rows, row)
	}
	return rows
}

// managerTask returns the running task of exos_manager, if there is one.
func (e *exos) managerTask() (swarm.Task, bool) {
	svc, _, err := e.engine.ServiceInspectWithRaw(context.Background(), "exos_manager", swarm.ServiceInspectOptions{})
	assert.NilError(e.t, err)
	tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{})
	assert.NilError(e.t, err)
	for _, t := range tasks {
		if t.ServiceID == svc.ID && t.DesiredState == swarm.TaskStateRunning && t.Status.State == swarm.TaskStateRunning && t.Status.ContainerStatus != nil {
			return t, true
		}
	}
	return swarm.Task{}, false
}

// killManager sends SIGKILL to the manager's container and waits until Swarm has started a
// new one and it answers /healthz.
func (e *exos) killManager() time.Duration {
	old, ok := e.managerTask()
	assert.Assert(e.t, ok, "exos_manager has no running task")
	out, err := exec.Command("docker", "-H", e.sw.Nodes[0].Host, "kill", "-s", "KILL", old.Status.ContainerStatus.ContainerID).CombinedOutput()
	assert.NilError(e.t, err, string(out))
	killed := time.Now()
	e.waitHealthy(func() bool {
		cur, ok := e.managerTask()
		return ok && cur.ID != old.ID
	})
	return time.Since(killed)
}

func (e *exos) waitHealthy(extra func() bool) {
	poll.WaitOn(e.t, func(poll.LogT) poll.Result {
		if extra != nil && !extra() {
			return poll.Continue("waiting for a new manager task")
		}
		if err := e.api.Health(context.Background()); err != nil {
			return poll.Continue("manager not healthy: %v", err)
		}
		return poll.Success()
	}, poll.WithTimeout(90*time.Second), poll.WithDelay(100*time.Millisecond))
}
