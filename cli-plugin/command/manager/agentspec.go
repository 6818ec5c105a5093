package manager

import (
	"fmt"
	"time"

	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// hostMount is where the agent finds the node's / (read-only): the host's proc for load,
// memory and pressure, sys/fs/cgroup for the containers' counters, and the Engine's data
// root for its disk and the volumes' sizes.
const hostMount = "/host"

// agentSpecOptions are the settings of the exos_agent service.
type agentSpecOptions struct {
	image string
	// socketPath is the Docker socket on each node; it may hold a Swarm template
	// ({{.Node.Hostname}}) for nodes whose sockets differ.
	socketPath string
	keyID      string
	networkID  string
	// transport is how the manager serves: the agent verifies it with the same CA.
	transport transport
}

// agentSpec is exos_agent: one task per node (global), the manager's image in agent mode,
// reading the node through the Docker socket and its / mounted read-only, reporting to
// the manager's alias on the agent network (DNS round robin: no VIP is needed).
func agentSpec(options agentSpecOptions) swarm.ServiceSpec {
	restartDelay := time.Second
	stopGrace := 2 * time.Second
	return swarm.ServiceSpec{
		Annotations: swarm.Annotations{
			Name:   agentService,
			Labels: map[string]string{namespaceLabel: stackName, imageLabel: options.image},
		},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:  options.image,
				Args:   agentArgs(options.transport),
				Labels: map[string]string{namespaceLabel: stackName},
				Mounts: []mount.Mount{
					{Type: mount.TypeBind, Source: options.socketPath, Target: dockerSocket, ReadOnly: true},
					{Type: mount.TypeBind, Source: "/", Target: hostMount, ReadOnly: true},
				},
				Secrets:         []*swarm.SecretReference{secretFile(options.keyID, agentKeySecret, agentKeySecret)},
				Configs:         options.transport.configs,
				StopGracePeriod: &stopGrace,
			},
			RestartPolicy: &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionAny, Delay: &restartDelay},
			Networks:      []swarm.NetworkAttachmentConfig{{Target: options.networkID}},
		},
		Mode:         swarm.ServiceMode{Global: &swarm.GlobalService{}},
		EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
	}
}

// agentArgs point the agent at the manager as it serves: HTTPS checked against a name
// its certificate holds, or plain HTTP when the manager serves that.
func agentArgs(t transport) []string {
	if t.scheme == command.TransportHTTP {
		return []string{"agent", fmt.Sprintf("--manager=http://%s:%d", api.AgentServerName, command.ManagerPort)}
	}
	name := t.agentServerName
	if name == "" {
		name = api.AgentServerName
	}
	return []string{"agent", fmt.Sprintf("--manager=https://%s:%d", api.AgentServerName, command.ManagerPort),
		"--ca-file=" + command.CAPath, "--server-name=" + name}
}

// agentAttachment attaches the manager to the agent network under the name agents dial.
func agentAttachment(networkID string) swarm.NetworkAttachmentConfig {
	return swarm.NetworkAttachmentConfig{Target: networkID, Aliases: []string{api.AgentServerName}}
}
