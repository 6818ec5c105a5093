//go:build e2e

package e2e

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// The Library's Jenkins deploys beside the Library's registry with its agents on the
// registry's network, its address and the node's Docker socket; and the agents' image can
// be swapped for one with a docker CLI without touching the rest of the template. The
// images themselves cannot be pulled on the test bed (no internet): this checks what Swarm
// was asked to run, not the running Jenkins.
func TestLibraryJenkinsAgentsReachTheSwarmsRegistry(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.run("catalog", "deploy", "library/registry", "--name", "registry").Assert(t, icmd.Success)
	res := e.run("catalog", "deploy", "library/jenkins", "--name", "ci", "--set", "admin_password=correct-horse-battery",
		"--set", "registry="+e.sw.Nodes[0].IP+":5000", "--set", "registry_network=registry_default", "--set", "docker_socket=true")
	res.Assert(t, icmd.Success)

	ctx := context.Background()
	agent, _, err := e.engine.ServiceInspectWithRaw(ctx, "ci_agent", swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	registryNet, err := e.engine.NetworkInspect(ctx, "registry_default", network.InspectOptions{})
	assert.NilError(t, err)
	onNet, socket := reachesRegistry(agent.Spec, registryNet.ID)
	assert.Check(t, onNet, "the agents are not on the registry's network: %+v", agent.Spec.TaskTemplate.Networks)
	assert.Check(t, socket, "the agents have no Docker socket")
	assert.Check(t, is.Contains(agent.Spec.TaskTemplate.ContainerSpec.Env, "REGISTRY="+e.sw.Nodes[0].IP+":5000"))

	res = e.run("stack", "set-image", "ci", "agent", "example.com/team/inbound-agent-docker:1")
	res.Assert(t, icmd.Success)
	agent, _, err = e.engine.ServiceInspectWithRaw(ctx, "ci_agent", swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(agent.Spec.TaskTemplate.ContainerSpec.Image, "example.com/team/inbound-agent-docker:1"))
	onNet, socket = reachesRegistry(agent.Spec, registryNet.ID)
	assert.Check(t, onNet && socket, "set-image changed more than the image: %+v", agent.Spec.TaskTemplate)
	res = e.run("stack", "history", "ci", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), "2\n1\n"))
}

// reachesRegistry says whether a service is on the registry's network and has the node's
// Docker socket.
func reachesRegistry(spec swarm.ServiceSpec, registryNet string) (onNet, socket bool) {
	for _, n := range spec.TaskTemplate.Networks {
		onNet = onNet || n.Target == registryNet
	}
	for _, m := range spec.TaskTemplate.ContainerSpec.Mounts {
		socket = socket || m.Source == "/var/run/docker.sock"
	}
	return onNet, socket
}
