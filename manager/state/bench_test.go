package state

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
)

// Scale of the synthetic swarm: 100 nodes, 2,000 services in 200 stacks, 20,000 tasks.
const (
	benchNodes    = 100
	benchStacks   = 200
	benchServices = 2000
	benchTasks    = 20000
)

// container is the row an API handler builds for `docker exos stack ps`.
type container struct {
	ID, Service, Node, Image, State, DesiredState string
	UpdatedAt                                     time.Time
}

// stackContainers is what the containers handler does: the stack's tasks joined with their
// service's name and their node's hostname.
func stackContainers(s *Store, stack string) []container {
	tasks := s.TasksByStack(nil, stack)
	out := make([]container, 0, len(tasks))
	for _, t := range tasks {
		c := container{ID: t.ID, Image: t.Raw.Spec.ContainerSpec.Image, State: t.State, DesiredState: t.DesiredState, UpdatedAt: t.Raw.Status.Timestamp}
		if svc := s.ServiceByID(nil, t.ServiceID); svc != nil {
			c.Service = svc.Name
		}
		if n := s.NodeByID(nil, t.NodeID); n != nil {
			c.Node = n.Hostname
		}
		out = append(out, c)
	}
	return out
}

func BenchmarkStackContainers(b *testing.B) {
	snap := synthetic(benchNodes, benchServices, benchTasks)
	start := time.Now()
	s := New()
	if err := s.ReplaceAll(snap); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	wantRows := benchTasks / benchStacks
	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		rows := stackContainers(s, fmt.Sprintf("stack%03d", i%benchStacks))
		durations = append(durations, time.Since(start))
		if len(rows) != wantRows || rows[0].Node == "" || rows[0].Service == "" {
			b.Fatalf("got %d rows (first %+v), want %d joined rows", len(rows), rows[0], wantRows)
		}
	}
	slices.Sort(durations)
	p99 := durations[len(durations)*99/100]
	// Reported after the loop: b.Loop starts with ResetTimer, which clears user metrics.
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(load.Milliseconds()), "load-ms")
}

// BenchmarkResyncUnchanged measures the periodic resync when nothing changed: a full
// ReplaceAll that must leave the index alone.
func BenchmarkResyncUnchanged(b *testing.B) {
	snap := synthetic(benchNodes, benchServices, benchTasks)
	s := New()
	if err := s.ReplaceAll(snap); err != nil {
		b.Fatal(err)
	}
	index := s.Index()
	for b.Loop() {
		if err := s.ReplaceAll(snap); err != nil {
			b.Fatal(err)
		}
	}
	if s.Index() != index {
		b.Fatalf("index moved from %d to %d on an unchanged resync", index, s.Index())
	}
}

// BenchmarkCounts measures the dashboard counters, which walk every table.
func BenchmarkCounts(b *testing.B) {
	s := New()
	if err := s.ReplaceAll(synthetic(benchNodes, benchServices, benchTasks)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if c := s.Counts(nil); c.Tasks != benchTasks || c.Stacks != benchStacks {
			b.Fatalf("counts %+v", c)
		}
	}
}

// synthetic builds a snapshot of a swarm the size of the arguments. Every object is
// round-tripped through JSON so that its memory looks like one decoded from the Engine API
// (no strings or maps shared between objects).
func synthetic(nodes, services, tasks int) Snapshot {
	var snap Snapshot
	for i := range nodes {
		snap.Nodes = append(snap.Nodes, NewNode(decoded(syntheticNode(i))))
	}
	for i := range services {
		snap.Services = append(snap.Services, NewService(decoded(syntheticService(i))))
	}
	perService := tasks / services
	for i := range tasks {
		svc := snap.Services[i/perService]
		raw := decoded(syntheticTask(i, svc.Raw, i%nodes))
		snap.Tasks = append(snap.Tasks, NewTask(raw, svc.Stack))
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

func syntheticService(i int) swarm.Service {
	stack := fmt.Sprintf("stack%03d", i%benchStacks)
	name := fmt.Sprintf("%s_svc%02d", stack, i/benchStacks)
	replicas := uint64(benchTasks / benchServices)
	return swarm.Service{
		ID:   syntheticID("svc", i),
		Meta: meta(uint64(i + 1)),
		Spec: swarm.ServiceSpec{
			Annotations: swarm.Annotations{Name: name, Labels: map[string]string{
				labelStack: stack, labelEnv: "prod", labelRevision: "3",
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
			Labels: map[string]string{labelStack: stack},
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

func syntheticTask(i int, svc swarm.Service, node int) swarm.Task {
	stack := svc.Spec.Labels[labelStack]
	return swarm.Task{
		ID:           syntheticID("task", i),
		Meta:         meta(uint64(i + 1)),
		Spec:         syntheticTaskSpec(stack, svc.Spec.Name),
		ServiceID:    svc.ID,
		Slot:         i%10 + 1,
		NodeID:       syntheticID("node", node),
		DesiredState: swarm.TaskStateRunning,
		Status: swarm.TaskStatus{
			Timestamp: t0.Add(time.Duration(i) * time.Second), State: swarm.TaskStateRunning, Message: "started",
			ContainerStatus: &swarm.ContainerStatus{ContainerID: fmt.Sprintf("%064x", i), PID: 1000 + i},
		},
		NetworksAttachments: []swarm.NetworkAttachment{{
			Network: swarm.Network{
				ID:   syntheticID("net", i%benchStacks),
				Meta: meta(1),
				Spec: swarm.NetworkSpec{
					Annotations:         swarm.Annotations{Name: stack + "_default", Labels: map[string]string{labelStack: stack}},
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
