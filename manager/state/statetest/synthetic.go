// Package statetest builds synthetic swarms for tests and benchmarks of the index and of
// what reads from it.
package statetest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
)

// base is the time every synthetic object is dated from.
var base = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func meta(version uint64) swarm.Meta {
	return swarm.Meta{Version: swarm.Version{Index: version}, UpdatedAt: base.Add(time.Duration(version) * time.Second)}
}

// Synthetic builds a snapshot of a swarm with the given numbers of nodes, stacks, services
// (spread evenly over the stacks, named stackNNN_svcNN) and tasks (spread evenly over the
// services and nodes). Every object is
// round-tripped through JSON so that its memory looks like one decoded from the Engine API
// (no strings or maps shared between objects).
func Synthetic(nodes, stacks, services, tasks int) state.Snapshot {
	var snap state.Snapshot
	for i := range nodes {
		snap.Nodes = append(snap.Nodes, state.NewNode(decoded(syntheticNode(i))))
	}
	for i := range services {
		snap.Services = append(snap.Services, state.NewService(decoded(syntheticService(i, stacks, tasks/services))))
	}
	perService := tasks / services
	for i := range tasks {
		svc := snap.Services[i/perService]
		raw := decoded(syntheticTask(i, svc.Raw, i%nodes, stacks))
		snap.Tasks = append(snap.Tasks, state.NewTask(raw, svc.Stack))
	}
	return snap
}

func decoded[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

func syntheticID(kind string, i int) string {
	return fmt.Sprintf("%s%021d", kind, i) // 25 characters, like a swarm ID
}

func syntheticNode(i int) swarm.Node {
	return swarm.Node{
		ID:   syntheticID("node", i),
		Meta: meta(uint64(i + 1)),
		Spec: swarm.NodeSpec{
			Annotations:  swarm.Annotations{Labels: map[string]string{"io.exos.env.prod": "true", "zone": fmt.Sprintf("zone-%d", i%3)}},
			Role:         swarm.NodeRoleWorker,
			Availability: swarm.NodeAvailabilityActive,
		},
		Description: swarm.NodeDescription{
			Hostname:  fmt.Sprintf("worker-%03d.example.internal", i),
			Platform:  swarm.Platform{Architecture: "x86_64", OS: "linux"},
			Resources: swarm.Resources{NanoCPUs: 8e9, MemoryBytes: 32 << 30},
			Engine: swarm.EngineDescription{EngineVersion: "28.5.2", Plugins: []swarm.PluginDescription{
				{Type: "Log", Name: "json-file"}, {Type: "Network", Name: "overlay"}, {Type: "Volume", Name: "local"},
			}},
			TLSInfo: swarm.TLSInfo{TrustRoot: string(make([]byte, 600)), CertIssuerSubject: make([]byte, 40), CertIssuerPublicKey: make([]byte, 90)},
		},
		Status: swarm.NodeStatus{State: swarm.NodeStateReady, Addr: fmt.Sprintf("10.0.%d.%d", i/250, i%250)},
	}
}

// SyntheticEnv is the environment synthetic stack number i is in: one of 100, env00 to
// env99, so that a member of one sees a hundredth of the swarm.
func SyntheticEnv(i int) string { return fmt.Sprintf("env%02d", i%100) }

func syntheticService(i, stacks, perService int) swarm.Service {
	stack := fmt.Sprintf("stack%03d", i%stacks)
	name := fmt.Sprintf("%s_svc%02d", stack, i/stacks)
	replicas := uint64(perService)
	return swarm.Service{
		ID:   syntheticID("svc", i),
		Meta: meta(uint64(i + 1)),
		Spec: swarm.ServiceSpec{
			Annotations: swarm.Annotations{Name: name, Labels: map[string]string{
				"com.docker.stack.namespace": stack, "io.exos.env": SyntheticEnv(i % stacks), "io.exos.stack.revision": "3",
			}},
			TaskTemplate: syntheticTaskSpec(stack, name),
			Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
			EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
		},
	}
}

func syntheticTaskSpec(stack, service string) swarm.TaskSpec {
	grace := 10 * time.Second
	return swarm.TaskSpec{
		ContainerSpec: &swarm.ContainerSpec{
			Image:  fmt.Sprintf("registry.example.internal/%s/app:1.4.2@sha256:%064d", stack, len(service)),
			Labels: map[string]string{"com.docker.stack.namespace": stack},
			Args:   []string{"--port=8080", "--log-level=info", "--config=/etc/app/config.yml"},
			Env: []string{
				"DB_HOST=" + stack + "_db", "DB_PORT=5432", "DB_NAME=" + stack, "CACHE_URL=redis://" + stack + "_cache:6379",
				"LOG_FORMAT=json", "SERVICE_NAME=" + service, "TZ=UTC", "GOMAXPROCS=2",
			},
			Mounts:          []mount.Mount{{Type: mount.TypeVolume, Source: stack + "_data", Target: "/var/lib/app"}},
			StopGracePeriod: &grace,
		},
		Resources: &swarm.ResourceRequirements{Limits: &swarm.Limit{NanoCPUs: 5e8, MemoryBytes: 512 << 20}},
		Placement: &swarm.Placement{Constraints: []string{"node.labels.io.exos.env.prod==true"}},
		Networks:  []swarm.NetworkAttachmentConfig{{Target: stack + "_default", Aliases: []string{service}}},
	}
}

func syntheticTask(i int, svc swarm.Service, node, stacks int) swarm.Task {
	stack := svc.Spec.Labels["com.docker.stack.namespace"]
	return swarm.Task{
		ID:           syntheticID("task", i),
		Meta:         meta(uint64(i + 1)),
		Spec:         syntheticTaskSpec(stack, svc.Spec.Name),
		ServiceID:    svc.ID,
		Slot:         i%10 + 1,
		NodeID:       syntheticID("node", node),
		DesiredState: swarm.TaskStateRunning,
		Status: swarm.TaskStatus{
			Timestamp: base.Add(time.Duration(i) * time.Second), State: swarm.TaskStateRunning, Message: "started",
			ContainerStatus: &swarm.ContainerStatus{ContainerID: fmt.Sprintf("%064x", i), PID: 1000 + i},
		},
		NetworksAttachments: []swarm.NetworkAttachment{{
			Network: swarm.Network{
				ID:   syntheticID("net", i%stacks),
				Meta: meta(1),
				Spec: swarm.NetworkSpec{
					Annotations:         swarm.Annotations{Name: stack + "_default", Labels: map[string]string{"com.docker.stack.namespace": stack}},
					DriverConfiguration: &swarm.Driver{Name: "overlay"},
					Scope:               "swarm",
				},
				DriverState: swarm.Driver{Name: "overlay", Options: map[string]string{"com.docker.network.driver.overlay.vxlanid_list": "4097"}},
				IPAMOptions: &swarm.IPAMOptions{Driver: swarm.Driver{Name: "default"}, Configs: []swarm.IPAMConfig{{Subnet: "10.1.0.0/24", Gateway: "10.1.0.1"}}},
			},
			Addresses: []string{fmt.Sprintf("10.1.%d.%d/24", i/250%250, i%250+2)},
		}},
	}
}
