//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// variables for the corpus files that interpolate, set the same way for both tools.
var corpusEnv = []string{"SLEEP_SECONDS=3600", "APP_ENV=staging", "REPLICAS=2", "PASSTHROUGH=from-env"}

// For every plain compose file of the corpus, the services EXOS creates are the services
// `docker stack deploy` creates: the same specs once stack names and object IDs are
// normalised.
func TestDeployMatchesDockerStackDeploy(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.docker("network", "create", "-d", "overlay", "--attachable", "company_shared").Assert(t, icmd.Success)
	secret := icmd.Command("docker", "secret", "create", "company_shared_password", "-")
	icmd.RunCmd(secret, icmd.WithEnv(e.env(1)...), icmd.WithStdin(strings.NewReader("s3cret"))).Assert(t, icmd.Success)

	files, err := filepath.Glob("../testdata/compose/*.yml")
	assert.NilError(t, err)
	assert.Assert(t, len(files) >= 15, "the corpus needs at least 15 files")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			e.deployBothWays(t, file, append(e.env(1), corpusEnv...))
		})
	}
}

// deployBothWays deploys file with `docker stack deploy` (stack ref) and then, once that
// is gone, with EXOS (stack exo), in environment env, and checks that both create the
// same services. It returns both commands' results.
func (e *exos) deployBothWays(t *testing.T, file string, env []string) (native, exos *icmd.Result) {
	t.Helper()
	native = icmd.RunCmd(icmd.Command("docker", "stack", "deploy", "--resolve-image", "never", "-c", file, "ref"), icmd.WithEnv(env...))
	native.Assert(t, icmd.Success)
	want := e.normalisedSpecs(t, "ref")
	removedNatively := e.removeNatively(t, "ref")
	e.waitGone(t, "ref")

	exos = icmd.RunCmd(icmd.Command("docker", "exos", "stack", "deploy", "-c", file, "exo"), icmd.WithEnv(env...))
	exos.Assert(t, icmd.Success)
	got := e.normalisedSpecs(t, "exo")
	removed := e.run("stack", "rm", "exo")
	removed.Assert(t, icmd.Success)
	e.waitGone(t, "exo")

	assert.Check(t, is.Equal(len(got), len(want)))
	for name, spec := range want {
		assert.Check(t, is.Equal(got[name], spec), "service %s differs", name)
	}
	// docker stack rm prints secrets, configs and networks in the Engine's list order,
	// which is no set order: compare the lines as sets.
	assert.Check(t, is.DeepEqual(sortedLines(removed.Stdout()), sortedLines(strings.ReplaceAll(removedNatively, " ref_", " exo_"))),
		"stack rm prints what docker stack rm prints")
	return native, exos
}

func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return lines
}

// normalisedSpecs returns the stack's service specs as JSON, keyed by service name without
// the stack prefix, with the stack name and every object ID replaced by stable names and
// EXOS's own revision label removed.
func (e *exos) normalisedSpecs(t *testing.T, stack string) map[string]string {
	ctx := context.Background()
	services, err := e.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace="+stack))})
	assert.NilError(t, err)
	ids := e.objectNames(t)
	out := map[string]string{}
	for _, s := range services {
		spec := s.Spec
		delete(spec.Labels, "io.exos.stack.revision")
		raw, err := json.Marshal(spec)
		assert.NilError(t, err)
		text := string(raw)
		for id, name := range ids {
			text = strings.ReplaceAll(text, `"`+id+`"`, `"`+name+`"`)
		}
		text = strings.ReplaceAll(text, `"`+stack+`_`, `"STACK_`)
		text = strings.ReplaceAll(text, `"com.docker.stack.namespace":"`+stack+`"`, `"com.docker.stack.namespace":"STACK"`)
		var pretty any
		assert.NilError(t, json.Unmarshal([]byte(text), &pretty))
		indented, _ := json.MarshalIndent(pretty, "", "  ")
		out[strings.TrimPrefix(s.Spec.Name, stack+"_")] = string(indented)
	}
	return out
}

// objectNames maps network, config and secret IDs to "kind:name" so specs that reference
// them by ID compare across stacks.
func (e *exos) objectNames(t *testing.T) map[string]string {
	ctx := context.Background()
	out := map[string]string{}
	nets, err := e.engine.NetworkList(ctx, network.ListOptions{})
	assert.NilError(t, err)
	for _, n := range nets {
		out[n.ID] = "network:" + stackless(n.Name)
	}
	configs, err := e.engine.ConfigList(ctx, swarm.ConfigListOptions{})
	assert.NilError(t, err)
	for _, c := range configs {
		out[c.ID] = "config:" + stackless(c.Spec.Name)
	}
	secrets, err := e.engine.SecretList(ctx, swarm.SecretListOptions{})
	assert.NilError(t, err)
	for _, s := range secrets {
		out[s.ID] = "secret:" + stackless(s.Spec.Name)
	}
	return out
}

func stackless(name string) string {
	for _, stack := range []string{"ref_", "exo_"} {
		if strings.HasPrefix(name, stack) {
			return "STACK_" + strings.TrimPrefix(name, stack)
		}
	}
	return name
}

// waitGone waits until the stack's services, containers and networks are all gone, so
// the next deploy starts from a clean swarm (ingress ports, names, no teardown beside it).
func (e *exos) waitGone(t testing.TB, stack string) {
	label := filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace="+stack))
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		ctx := context.Background()
		services, err := e.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: label})
		if err != nil {
			return poll.Error(err)
		}
		nets, err := e.engine.NetworkList(ctx, network.ListOptions{Filters: label})
		if err != nil {
			return poll.Error(err)
		}
		containers, err := e.engine.ContainerList(ctx, container.ListOptions{Filters: label})
		if err != nil {
			return poll.Error(err)
		}
		if n := len(services) + len(nets) + len(containers); n > 0 {
			// `docker stack rm` gives up on networks still in use; retry it.
			_ = exec.Command("docker", "-H", e.sw.Nodes[0].Host, "stack", "rm", stack).Run()
			return poll.Continue("%d objects of stack %s left", n, stack)
		}
		return poll.Success()
	}, poll.WithTimeout(90*time.Second), poll.WithDelay(500*time.Millisecond))
}

// removeNatively is `docker stack rm`, again while it fails on the stack's network being
// "in use by task": docker removes the network right after the services, before Swarm
// has shut their tasks down, and says so; a second run removes what is left. It returns
// what the first run printed: every object of the stack.
func (e *exos) removeNatively(t *testing.T, stack string) (firstOut string) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		res := e.docker("stack", "rm", stack)
		if firstOut == "" {
			firstOut = res.Stdout()
		}
		switch {
		case res.Error == nil:
			return poll.Success()
		case strings.Contains(res.Stderr(), "is in use by task"):
			return poll.Continue("%s", res.Stderr())
		}
		return poll.Error(fmt.Errorf("docker stack rm %s: %s", stack, res.Combined()))
	}, poll.WithTimeout(time.Minute), poll.WithDelay(500*time.Millisecond))
	return firstOut
}
