//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

const flagsCompose = `services:
  web:
    image: exos/busybox:1
    command: ["sleep", "%s"]
    init: true
    stop_grace_period: 1s
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      labels: [tier=front]
  agent:
    image: exos/busybox:1
    command: ["sleep", "3600"]
    init: true
    stop_grace_period: 1s
    deploy:
      mode: global
      endpoint_mode: dnsrr
      labels: [tier=back]
`

// The flags of docker stack deploy, ps and services work on docker exos stack, with
// docker's answers: the same stack, listed by both tools with the same filters, gives the
// same lines.
func TestDockerStackFlagsAnswerAsDocker(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 2})
	file := filepath.Join(t.TempDir(), "docker-compose.yml")
	for _, sleep := range []string{"3600", "3601"} { // the second deploy leaves shut-down tasks
		assert.NilError(t, os.WriteFile(file, []byte(fmt.Sprintf(flagsCompose, sleep)), 0o600))
		res := e.run("stack", "deploy", "--detach=false", "-q", "--resolve-image", "changed", "--with-registry-auth", "-c", file, "shop")
		res.Assert(t, icmd.Success)
		assert.Check(t, is.Equal(res.Stdout(), ""), "--quiet prints no progress")
	}

	const psFormat, servicesFormat = "{{.ID}} {{.Name}} {{.Node}} {{.DesiredState}} {{.Image}}", "{{.ID}} {{.Name}} {{.Mode}} {{.Replicas}}"
	for _, args := range [][]string{
		{"ps", "--filter", "desired-state=running"},
		{"ps", "-f", "desired-state=shutdown"},
		{"ps", "--filter", "name=shop_web.1"},
		{"ps", "--filter", "node=node2", "--filter", "desired-state=running"},
		{"ps", "--no-resolve"},
		{"services", "--filter", "label=tier=front"},
		{"services", "-f", "mode=global"},
		{"services", "--filter", "name=shop_a"},
	} {
		format := psFormat
		if args[0] == "services" {
			format = servicesFormat
		}
		full := append(append([]string{"stack"}, args...), "--format", format, "shop")
		// The manager's index follows the Engine's events: wait until it has the last
		// deploy's tasks, then the answers must be the same.
		poll.WaitOn(t, func(poll.LogT) poll.Result {
			native := e.docker(full...)
			native.Assert(t, icmd.Success)
			exos := e.run(full...)
			exos.Assert(t, icmd.Success)
			if want, got := sortedLines(native.Stdout()), sortedLines(exos.Stdout()); !slices.Equal(want, got) {
				return poll.Continue("%v: docker says %q, EXOS %q", args, want, got)
			}
			return poll.Success()
		}, poll.WithTimeout(30*time.Second), poll.WithDelay(500*time.Millisecond))
	}

	res := e.run("stack", "ps", "--filter", "colour=red", "shop")
	res.Assert(t, icmd.Expected{ExitCode: 1, Err: "invalid filter 'colour'"})
	e.run("stack", "rm", "--detach=false", "shop").Assert(t, icmd.Expected{Out: "Removing service shop_agent\nRemoving service shop_web\nRemoving network shop_default\n"})
	e.run("stack", "rm", "-d", "shop").Assert(t, icmd.Expected{Err: "Nothing found in stack: shop"})
}

// stack deploy --with-registry-auth sends the user's docker login for a registry EXOS
// does not know, so that every node of a 3-node swarm pulls the image with it, as docker
// stack deploy --with-registry-auth does; EXOS keeps the credentials nowhere.
func TestWithRegistryAuthPassesYourDockerLogin(t *testing.T) {
	t.Setenv("PREFER_OFFLINE", "0") // the test bed's dockerds pull (see TestPrivateRegistryDeployAndSetImage)
	e := start(t, testbed.Options{Nodes: 3})
	addr, ca := registrytest.StartOn(t, privatePassword, fmt.Sprintf("10.201.%d.1", e.sw.ID))
	trustOnEveryDockerd(t, addr, ca)
	busybox, err := tarball.ImageFromPath(testbed.BusyboxImage(t), nil)
	assert.NilError(t, err)
	pinned := addr + "/team/app:1@" + registrytest.Push(t, addr, ca, privatePassword, "team/app:1", busybox).String()
	login, err := os.ReadFile(filepath.Join(nativeConfig(t, addr), "config.json"))
	assert.NilError(t, err)
	assert.NilError(t, os.WriteFile(filepath.Join(e.dockerConfig, "config.json"), login, 0o600))

	file := filepath.Join(t.TempDir(), "docker-compose.yml")
	assert.NilError(t, os.WriteFile(file, []byte(`services:
  app:
    image: `+pinned+`
    command: sleep 3600
    init: true
    stop_grace_period: 1s
    deploy:
      mode: global
`), 0o600))
	e.run("stack", "deploy", "--with-registry-auth", "--detach=false", "--timeout", "2m", "-c", file, "exo").Assert(t, icmd.Success)
	e.runsEverywhere(t, "exo_app", pinned)
	e.noPasswordIn(t, "exo")
	events, _, err := e.api.ListAudit(context.Background(), api.AuditQuery{})
	assert.NilError(t, err)
	for _, ev := range events {
		assert.Check(t, !strings.Contains(fmt.Sprint(ev), privatePassword), "an audit event holds the password")
	}
}
