package manager

import (
	"fmt"
	"maps"
	"time"

	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/about"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

const (
	// stackName is the stack the manager belongs to, so `docker stack ls` shows it.
	stackName      = api.ManagerStack
	namespaceLabel = "com.docker.stack.namespace"
	imageLabel     = "com.docker.stack.image"
	// dockerSocket is where the manager finds the Engine API inside its container, and the
	// default path of the socket on the node.
	dockerSocket = "/var/run/docker.sock"
	// catalogMount is where --catalog-dir is mounted in the manager: catalogs added by a path
	// under it are opened by path, without a Git server.
	catalogMount = "/catalogs"
)

// defaultImage is the manager image built for this plugin version.
func defaultImage() string { return "exos/manager:" + about.Version }

// specOptions are the settings of the exos_manager service.
type specOptions struct {
	image string
	// port is where the manager is published on its node.
	port uint32
	// socketPath is the Docker socket on the node.
	socketPath string
	// catalogDir, when not empty, is a directory of the manager nodes mounted read-only at
	// catalogMount.
	catalogDir string
	// catalogKeyID is the ID of the catalog key secret, mounted at
	// /run/secrets/exos-catalog-key.
	catalogKeyID string
	// transport is how the manager serves its API and hooks (TLS, or plain HTTP).
	transport transport
	// agentKeyID and agentNetworkID are the agent key secret (the manager checks reports
	// with it) and the network the agents reach the manager on.
	agentKeyID, agentNetworkID string
	// revisionHistory is how many revisions of each stack the manager keeps unarchived
	// (EXOS_REVISION_HISTORY).
	revisionHistory int
}

// managerEnv is the manager's settings that install passes in its environment.
func managerEnv(options specOptions) []string {
	env := []string{fmt.Sprintf("EXOS_LISTEN=:%d", command.ManagerPort)}
	if options.revisionHistory > 0 {
		env = append(env, fmt.Sprintf("EXOS_REVISION_HISTORY=%d", options.revisionHistory))
	}
	return env
}

// managerSpec is the exos_manager service: one replica on a manager node with the node's
// Docker socket mounted and the catalog key secret given, its port published on that node
// (host mode: the routing mesh is not needed and not always available) and DNS round
// robin instead of a VIP for the same reason.
func managerSpec(options specOptions) swarm.ServiceSpec {
	labels := map[string]string{namespaceLabel: stackName, imageLabel: options.image}
	if t := options.transport; t.scheme != "" {
		labels[command.TransportLabel] = t.scheme
		maps.Copy(labels, t.labels)
	}
	mounts := []mount.Mount{{Type: mount.TypeBind, Source: options.socketPath, Target: dockerSocket}}
	if options.catalogDir != "" {
		mounts = append(mounts, mount.Mount{Type: mount.TypeBind, Source: options.catalogDir, Target: catalogMount, ReadOnly: true})
	}
	replicas := uint64(1)
	restartDelay := 500 * time.Millisecond
	stopGrace := 10 * time.Second
	return swarm.ServiceSpec{
		Annotations: swarm.Annotations{
			Name:   command.ManagerService,
			Labels: labels,
		},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:  options.image,
				Args:   append([]string{"serve"}, options.transport.args...),
				Env:    managerEnv(options),
				Labels: map[string]string{namespaceLabel: stackName},
				Mounts: mounts,
				Secrets: append([]*swarm.SecretReference{catalogKeyReference(options.catalogKeyID),
					secretFile(options.agentKeyID, agentKeySecret, agentKeySecret)}, options.transport.secrets...),
				Configs:         options.transport.configs,
				StopGracePeriod: &stopGrace,
			},
			Placement: &swarm.Placement{Constraints: []string{"node.role==manager"}},
			Networks:  []swarm.NetworkAttachmentConfig{agentAttachment(options.agentNetworkID)},
			RestartPolicy: &swarm.RestartPolicy{
				Condition: swarm.RestartPolicyConditionAny,
				Delay:     &restartDelay,
			},
		},
		Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
		EndpointSpec: &swarm.EndpointSpec{
			Mode: swarm.ResolutionModeDNSRR,
			Ports: []swarm.PortConfig{{
				Protocol:      swarm.PortConfigProtocolTCP,
				TargetPort:    command.ManagerPort,
				PublishedPort: options.port,
				PublishMode:   swarm.PortConfigPublishModeHost,
			}},
		},
	}
}
