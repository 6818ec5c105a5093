//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

// hookBed is a 1-node swarm with EXOS, a private registry EXOS knows (htpasswd + TLS),
// stack shop whose service web runs repo:1 from it (httpd, with a healthcheck), and a
// deploy hook for that service and repository.
type hookBed struct {
	*exos
	reg     *registrytest.Registry
	repo    string // addr/team/app
	busybox v1.Image
	hook    deployHookSecret
	// first is repo:1@digest, what web runs after the bed starts.
	first string
}

// deployHookSecret is what `docker exos hook create --format json` prints.
type deployHookSecret struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Token string `json:"token"`
}

// webService is the shop stack's compose file: an image whose command serves HTTP, a
// healthcheck that decides in a few seconds, and a quick stop.
const webService = `services:
  web:
    image: %s
    init: true
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/etc/passwd"]
      interval: 1s
      timeout: 1s
      retries: 2
      start_period: 1s
`

func startHookBed(t *testing.T, extra ...string) *hookBed {
	t.Helper()
	// The node pulls what the registry has (see TestPrivateRegistryDeployAndSetImage).
	t.Setenv("PREFER_OFFLINE", "0")
	e := start(t, testbed.Options{Nodes: 1})
	reg := registrytest.StartWith(t, registrytest.Options{Password: privatePassword, Host: fmt.Sprintf("10.201.%d.1", e.sw.ID)})
	trustOnEveryDockerd(t, reg.Addr, reg.CA)
	busybox, err := tarball.ImageFromPath(testbed.BusyboxImage(t), nil)
	assert.NilError(t, err)
	b := &hookBed{exos: e, reg: reg, repo: reg.Addr + "/team/app", busybox: busybox}

	caFile := filepath.Join(t.TempDir(), "registry-ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(reg.CA), 0o600))
	add := icmd.Command("docker", "exos", "registry", "add", "--username", registrytest.User, "--password-stdin", "--ca-file", caFile, "ci", reg.Addr)
	icmd.RunCmd(add, icmd.WithEnv(e.env(1)...), icmd.WithStdin(strings.NewReader(privatePassword))).Assert(t, icmd.Success)

	b.first = b.push(t, "1", b.serving("1"))
	file := filepath.Join(t.TempDir(), "docker-compose.yml")
	assert.NilError(t, os.WriteFile(file, []byte(fmt.Sprintf(webService, b.repo+":1")), 0o600))
	e.run("stack", "deploy", "-c", file, "--wait", "--timeout", "2m", "shop").Assert(t, icmd.Success)
	b.runs(t, b.first)

	res := e.run(append([]string{"hook", "create", "deploy", "--stack", "shop", "--service", "web", "--repository", b.repo, "--format", "json"}, extra...)...)
	res.Assert(t, icmd.Success)
	assert.NilError(t, json.Unmarshal([]byte(res.Stdout()), &b.hook), res.Stdout())
	assert.Assert(t, b.hook.ID != "" && b.hook.Token != "", res.Stdout())
	return b
}

// serving is the busybox test image serving HTTP on 8080 as its command, labelled with
// build: each build is another image (digest) that runs the same.
func (b *hookBed) serving(build string) v1.Image {
	return withConfig(b.t, b.busybox, build, "httpd", "-f", "-p", "8080", "-h", "/")
}

// broken is an image whose command exits at once: a deploy of it must be rolled back.
func (b *hookBed) broken(build string) v1.Image {
	return withConfig(b.t, b.busybox, build, "false")
}

func withConfig(t testing.TB, img v1.Image, build string, cmd ...string) v1.Image {
	cfg, err := img.ConfigFile()
	assert.NilError(t, err)
	cfg = cfg.DeepCopy()
	if cfg.Config.Labels == nil {
		cfg.Config.Labels = map[string]string{}
	}
	cfg.Config.Labels["io.exos.test.build"] = build
	cfg.Config.Cmd = cmd
	out, err := mutate.ConfigFile(img, cfg)
	assert.NilError(t, err)
	return out
}

// push pushes img as repo:tag and returns repo:tag@digest, as a hook pins it.
func (b *hookBed) push(t *testing.T, tag string, img v1.Image) string {
	t.Helper()
	digest := registrytest.Push(t, b.reg.Addr, b.reg.CA, privatePassword, "team/app:"+tag, img)
	return b.repo + ":" + tag + "@" + digest.String()
}

// runs waits until shop_web's spec has image and its one running task runs it.
func (b *hookBed) runs(t *testing.T, image string) {
	t.Helper()
	b.serviceRuns(t, "shop_web", image)
}

// serviceRuns waits until the service's spec has image and its one running task runs it.
func (b *hookBed) serviceRuns(t *testing.T, service, image string) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		spec := b.service(t, service).Spec.TaskTemplate.ContainerSpec.Image
		if spec != image {
			return poll.Continue("%s's spec is at %s, not %s", service, spec, image)
		}
		if running := b.runningImages(t, service); len(running) != 1 || running[0] != image {
			return poll.Continue("%s's running tasks run %v", service, running)
		}
		return poll.Success()
	}, poll.WithTimeout(2*time.Minute), poll.WithDelay(250*time.Millisecond))
}

func (b *hookBed) service(t *testing.T, name string) swarm.Service {
	t.Helper()
	svc, _, err := b.engine.ServiceInspectWithRaw(context.Background(), name, swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	return svc
}

// runningImages are the images of the service's running tasks.
func (b *hookBed) runningImages(t *testing.T, service string) []string {
	t.Helper()
	tasks, err := b.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", service), filters.Arg("desired-state", "running"))})
	assert.NilError(t, err)
	var out []string
	for _, task := range tasks {
		if task.Status.State == swarm.TaskStateRunning {
			out = append(out, task.Spec.ContainerSpec.Image)
		}
	}
	return out
}

// hookAnswer is an answer of the deploy hook: the status, Retry-After, and the body.
type hookAnswer struct {
	status     int
	retryAfter string
	body       string
	accepted   api.DeployAccepted
}

// send POSTs body to url with headers (name, value pairs), as a CI or a registry would.
func (b *hookBed) send(t *testing.T, url string, body []byte, headers ...string) hookAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	assert.NilError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.http.Do(req)
	assert.NilError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	assert.NilError(t, err)
	out := hookAnswer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: string(raw)}
	_ = json.Unmarshal(raw, &out.accepted)
	return out
}

// deliver sends body to the bed's hook with its token as a bearer.
func (b *hookBed) deliver(t *testing.T, query string, body []byte) hookAnswer {
	t.Helper()
	return b.send(t, b.hook.URL+query, body, "Authorization", "Bearer "+b.hook.Token)
}

// deployment reads a deployment's status URL with the bed's hook's token.
func (b *hookBed) deployment(t *testing.T, id string) api.Deployment {
	t.Helper()
	return b.deploymentOf(t, b.hook, id)
}

func (b *hookBed) deploymentOf(t *testing.T, hook deployHookSecret, id string) api.Deployment {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, hook.URL+"/deployments/"+id, nil)
	assert.NilError(t, err)
	req.Header.Set("Authorization", "Bearer "+hook.Token)
	resp, err := b.http.Do(req)
	assert.NilError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	assert.Assert(t, is.Equal(resp.StatusCode, http.StatusOK), string(raw))
	var out api.Deployment
	assert.NilError(t, json.Unmarshal(raw, &out), string(raw))
	return out
}

// settles waits until deployment id of the bed's hook is no longer pending or
// converging, and returns it.
func (b *hookBed) settles(t *testing.T, id string) api.Deployment {
	t.Helper()
	return b.settlesOn(t, b.hook, id)
}

func (b *hookBed) settlesOn(t *testing.T, hook deployHookSecret, id string) api.Deployment {
	t.Helper()
	var dep api.Deployment
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		dep = b.deploymentOf(t, hook, id)
		if dep.Status == api.DeploymentPending || dep.Status == api.DeploymentConverging {
			return poll.Continue("deployment %s is %s", id, dep.Status)
		}
		return poll.Success()
	}, poll.WithTimeout(3*time.Minute), poll.WithDelay(250*time.Millisecond))
	return dep
}

// revisionOf is the newest revision of shop that deployed image.
func (b *hookBed) revisionOf(t *testing.T, image string) api.Revision {
	t.Helper()
	ctx := context.Background()
	revs, err := b.api.StackHistory(ctx, "shop")
	assert.NilError(t, err)
	for _, r := range revs {
		full, err := b.api.StackRevision(ctx, "shop", r.Number)
		assert.NilError(t, err)
		if full.Images["web"] == image {
			return full
		}
	}
	t.Fatalf("no revision of shop deployed %s", image)
	return api.Revision{}
}

// deliveries is the hook's history as `docker exos hook history --format json` prints it.
func (b *hookBed) deliveries(t *testing.T) []map[string]string {
	t.Helper()
	res := b.run("hook", "history", "--no-trunc", "--format", "json", b.hook.ID)
	res.Assert(t, icmd.Success)
	return jsonLines[map[string]string](t, res.Stdout())
}

// tokenNotLogged checks the manager's logs hold neither the hook's token nor any earlier
// one given.
func (b *hookBed) tokenNotLogged(t *testing.T, tokens ...string) {
	t.Helper()
	logs := b.docker("service", "logs", "--raw", "exos_manager")
	logs.Assert(t, icmd.Success)
	for _, token := range append(tokens, b.hook.Token) {
		assert.Check(t, !strings.Contains(logs.Combined(), token), "the manager logged a hook token")
	}
}
