//go:build e2e

package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

const privatePassword = "Private-registry-pw-42"

// A stack whose image is in a private registry (htpasswd + TLS from a test CA) that EXOS
// knows: every node of a 3-node swarm pulls it with the credentials EXOS passes, the
// revision records the digest, set-image moves the service to another tag's digest, and
// the service EXOS makes is the one `docker stack deploy --with-registry-auth` makes.
func TestPrivateRegistryDeployAndSetImage(t *testing.T) {
	// The test bed's dockerds pull: by default they run what was loaded and never pull
	// (scripts/testbed/node-start.sh); a pull of what was loaded fails at once (no route
	// out), and they run the loaded image.
	t.Setenv("PREFER_OFFLINE", "0")
	e := start(t, testbed.Options{Nodes: 3})
	ctx := context.Background()
	addr, ca := registrytest.StartOn(t, privatePassword, fmt.Sprintf("10.201.%d.1", e.sw.ID))
	trustOnEveryDockerd(t, addr, ca)
	busybox, err := tarball.ImageFromPath(testbed.BusyboxImage(t), nil)
	assert.NilError(t, err)
	one := registrytest.Push(t, addr, ca, privatePassword, "team/app:1", busybox)
	two := registrytest.Push(t, addr, ca, privatePassword, "team/app:2", relabelled(t, busybox))
	// A two-platform index (the arm one never runs here) and an OCI image manifest, whose
	// platforms the Engine reads differently: the specs must still be native's.
	amd64, armv7 := v1.Platform{OS: "linux", Architecture: "amd64"}, v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	registrytest.PushIndex(t, addr, ca, privatePassword, "team/multi:1", mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: busybox, Descriptor: v1.Descriptor{Platform: &amd64}},
		mutate.IndexAddendum{Add: relabelled(t, busybox), Descriptor: v1.Descriptor{Platform: &armv7}}))
	registrytest.Push(t, addr, ca, privatePassword, "team/oci:1", mutate.ConfigMediaType(mutate.MediaType(busybox, types.OCIManifestSchema1), types.OCIConfigJSON))
	pinned1 := addr + "/team/app:1@" + one.String()
	pinned2 := addr + "/team/app:2@" + two.String()

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(ca), 0o600))
	add := icmd.Command("docker", "exos", "registry", "add", "--username", registrytest.User, "--password-stdin", "--ca-file", caFile, "private", addr)
	if res := icmd.RunCmd(add, icmd.WithEnv(e.env(1)...), icmd.WithStdin(strings.NewReader(privatePassword))); res.ExitCode != 0 {
		// The registry commands are another part of issue 13: add it through the API.
		_, err := e.api.AddRegistry(ctx, api.RegistryAddRequest{Name: "private", URL: addr, Username: registrytest.User, Password: privatePassword, CA: ca})
		assert.NilError(t, err)
	}

	compose := func(appTag string) string {
		file := filepath.Join(t.TempDir(), "docker-compose.yml")
		assert.NilError(t, os.WriteFile(file, []byte(`services:
  app:
    image: `+addr+`/team/app:`+appTag+`
    command: sleep 3600
    init: true
    stop_grace_period: 1s
    deploy:
      mode: global
  multi:
    image: `+addr+`/team/multi:1
    command: sleep 3600
    init: true
    stop_grace_period: 1s
    deploy:
      placement: {constraints: [node.role==manager]}
  oci:
    image: `+addr+`/team/oci:1
    deploy:
      replicas: 0
`), 0o600))
		return file
	}
	file := compose("1")
	e.run("stack", "deploy", "-c", file, "--wait", "--timeout", "2m", "exo").Assert(t, icmd.Success)

	rev, err := e.api.StackRevision(ctx, "exo", 1)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Images["app"], pinned1))
	e.runsEverywhere(t, "exo_app", pinned1)
	e.noPasswordIn(t, "exo")

	// Native with the same file and the same credentials makes the same services, their
	// Placement.Platforms included.
	native := nativeConfig(t, addr)
	nativeDeploy := func(file string) {
		icmd.RunCmd(icmd.Command("docker", "stack", "deploy", "--with-registry-auth", "-c", file, "ref"),
			icmd.WithEnv("DOCKER_HOST="+e.sw.Nodes[0].Host, "DOCKER_CONFIG="+native)).Assert(t, icmd.Success)
	}
	nativeDeploy(file)
	e.sameSpecs(t, "ref", "exo", "app", "multi", "oci")
	assert.Check(t, is.Contains(e.normalisedSpecs(t, "exo")["multi"], `"Architecture": "amd64"`), "the index's platforms are placed on")

	res := e.run("stack", "set-image", "--wait", "--timeout", "2m", "exo", "app", addr+"/team/app:2")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "revision 2"))
	assert.Check(t, is.Contains(res.Stdout(), pinned2))
	rev, err = e.api.StackRevision(ctx, "exo", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Images["app"], pinned2))
	e.runsEverywhere(t, "exo_app", pinned2)
	// The update set-image made is the one native makes of the file with the new tag.
	nativeDeploy(compose("2"))
	e.sameSpecs(t, "ref", "exo", "app", "multi", "oci")
	e.docker("stack", "rm", "ref").Assert(t, icmd.Success)
	e.waitGone(t, "ref")
	e.noDrift(t, "exo")

	res = e.run("stack", "set-image", "exo", "app", addr+"/team/app:2")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "nothing deployed"))
	res = e.run("stack", "diff", "exo")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "TaskTemplate.ContainerSpec.Image: "+pinned1+" -> "+pinned2))

	res = e.run("stack", "set-image", "exo", "app", addr+"/team/app:9")
	assert.Check(t, is.Equal(res.ExitCode, 1))
	assert.Check(t, is.Contains(res.Stderr(), `has no tag "9"`))
	e.noPasswordIn(t, "exo")
}

// sameSpecs checks that the services of stack got (EXOS's) are those of stack want
// (native's), spec for spec.
func (e *exos) sameSpecs(t *testing.T, want, got string, services ...string) {
	t.Helper()
	wants, gots := e.normalisedSpecs(t, want), e.normalisedSpecs(t, got)
	for _, svc := range services {
		assert.Check(t, is.Equal(gots[svc], wants[svc]), "the service %s EXOS made differs from docker stack deploy's", svc)
	}
}

// noDrift waits until the manager's index has the stack's services as they are, and
// checks that it tells no drift of them then.
func (e *exos) noDrift(t *testing.T, stack string) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		stacks, err := e.api.ListStacks(context.Background())
		if err != nil {
			return poll.Error(err)
		}
		for _, s := range stacks {
			if s.Name == stack && len(s.Drift) > 0 {
				return poll.Continue("stack %s drifts: %+v", stack, s.Drift)
			}
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(250*time.Millisecond))
}

// relabelled is img with another label: another image (digest) that runs the same.
func relabelled(t *testing.T, img v1.Image) v1.Image {
	cfg, err := img.ConfigFile()
	assert.NilError(t, err)
	cfg = cfg.DeepCopy()
	if cfg.Config.Labels == nil {
		cfg.Config.Labels = map[string]string{}
	}
	cfg.Config.Labels["io.exos.test.build"] = "2"
	out, err := mutate.ConfigFile(img, cfg)
	assert.NilError(t, err)
	return out
}

// trustOnEveryDockerd makes every dockerd on this host (the test bed's too) trust the
// registry's CA, the way dockerd reads a registry's CA: /etc/docker/certs.d/<host:port>.
func trustOnEveryDockerd(t testing.TB, addr, ca string) {
	dir := filepath.Join("/etc/docker/certs.d", addr)
	assert.NilError(t, os.MkdirAll(dir, 0o755))
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "ca.crt"), []byte(ca), 0o644))
}

// nativeConfig is a Docker config dir logged in to the registry, as `docker login` leaves it.
func nativeConfig(t testing.TB, addr string) string {
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(registrytest.User + ":" + privatePassword))
	data, err := json.Marshal(map[string]any{"auths": map[string]any{addr: map[string]string{"auth": auth}}})
	assert.NilError(t, err)
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "config.json"), data, 0o600))
	return dir
}

// runsEverywhere waits until the service runs image on every node, and checks each node
// pulled it: the image is there by its digest.
func (e *exos) runsEverywhere(t *testing.T, service, image string) {
	t.Helper()
	ctx := context.Background()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		tasks, err := e.engine.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", service), filters.Arg("desired-state", "running"))})
		if err != nil {
			return poll.Error(err)
		}
		nodes := map[string]bool{}
		for _, task := range tasks {
			if task.Status.State == swarm.TaskStateRunning && task.Spec.ContainerSpec.Image == image {
				nodes[task.NodeID] = true
			}
		}
		if len(nodes) < len(e.sw.Nodes) {
			return poll.Continue("%s runs %s on %d of %d nodes", service, image, len(nodes), len(e.sw.Nodes))
		}
		return poll.Success()
	}, poll.WithTimeout(2*time.Minute), poll.WithDelay(250*time.Millisecond))
	named, err := reference.ParseNormalizedNamed(image)
	assert.NilError(t, err)
	byDigest, err := reference.WithDigest(reference.TrimNamed(named), named.(reference.Canonical).Digest())
	assert.NilError(t, err)
	for i := range e.sw.Nodes {
		c := e.sw.Client(t, i+1)
		inspect, err := c.ImageInspect(ctx, reference.FamiliarString(byDigest))
		assert.NilError(t, err, "node%d has not pulled %s", i+1, image)
		assert.Check(t, is.Contains(inspect.RepoDigests, reference.FamiliarString(byDigest)), "node%d", i+1)
	}
}

// noPasswordIn checks that the stack's revisions, as the API answers them, hold neither the
// registry's password nor the auth sent to Swarm.
func (e *exos) noPasswordIn(t *testing.T, stack string) {
	t.Helper()
	revs, err := e.api.StackHistory(context.Background(), stack)
	assert.NilError(t, err)
	for _, r := range revs {
		full, err := e.api.StackRevision(context.Background(), stack, r.Number)
		assert.NilError(t, err)
		data, _ := json.Marshal(full)
		assert.Check(t, !strings.Contains(string(data), privatePassword), "revision %d holds the password", r.Number)
	}
	logs := e.docker("service", "logs", "exos_manager")
	assert.Check(t, !strings.Contains(logs.Combined(), privatePassword), "the manager logged the password")
}
