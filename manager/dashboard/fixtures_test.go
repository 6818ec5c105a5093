package dashboard

import (
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"gotest.tools/v3/assert"
)

// clock is a settable clock.
type clock struct{ t time.Time }

func newClock() *clock                   { return &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)} }
func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func seesOnly(envs ...string) func(string) bool {
	return func(env string) bool {
		for _, e := range envs {
			if e == env {
				return true
			}
		}
		return false
	}
}
func seesAll(string) bool { return true }

// node is a ready, active node in envs.
func node(id, hostname string, envs ...string) *state.Node {
	labels := map[string]string{}
	for _, e := range envs {
		labels["io.exos.env."+e] = "true"
	}
	return state.NewNode(swarm.Node{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}},
		Spec:        swarm.NodeSpec{Annotations: swarm.Annotations{Labels: labels}, Role: swarm.NodeRoleWorker, Availability: swarm.NodeAvailabilityActive},
		Description: swarm.NodeDescription{Hostname: hostname}, Status: swarm.NodeStatus{State: swarm.NodeStateReady}})
}

// service is a service of stack in env with replicas.
func service(id, name, stack, env string, replicas uint64) *state.Service {
	raw := statetest.Service(id, name, stack, 1)
	raw.Spec.Labels["io.exos.env"] = env
	raw.Spec.Mode.Replicated.Replicas = &replicas
	return state.NewService(raw)
}

// task is a task of svc on node in state, dated at.
func task(id string, svc *state.Service, nodeID, st string, at time.Time) *state.Task {
	desired := swarm.TaskStateRunning
	if st == "failed" || st == "rejected" {
		desired = swarm.TaskStateShutdown
	}
	return state.NewTask(swarm.Task{ID: id, ServiceID: svc.ID, NodeID: nodeID, DesiredState: desired,
		Meta:   swarm.Meta{Version: swarm.Version{Index: 1}},
		Status: swarm.TaskStatus{State: swarm.TaskState(st), Timestamp: at}}, svc.Stack)
}

// twoEnvs is an index with environments qa and prod: node q1 in qa, p1 and p2 in prod,
// shared in both, bare in none; stack qa-web (service qa-web_app, 2 replicas, both
// running on q1) and prod-web (prod-web_app, 3 replicas, 1 running on p1, one failed
// task on p1 a minute ago).
func twoEnvs(t *testing.T, c *clock) *state.Store {
	t.Helper()
	store := state.New()
	assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: "qa"}, &state.Environment{Name: "prod"}))
	assert.NilError(t, store.UpsertNodes(node("q1", "qa-1", "qa"), node("p1", "prod-1", "prod"), node("p2", "prod-2", "prod"),
		node("s1", "shared-1", "prod", "qa"), node("b1", "bare-1")))
	qa, prod := service("sq", "qa-web_app", "qa-web", "qa", 2), service("sp", "prod-web_app", "prod-web", "prod", 3)
	assert.NilError(t, store.UpsertServices(qa, prod))
	assert.NilError(t, store.UpsertTasks(
		task("tq1", qa, "q1", "running", c.now()), task("tq2", qa, "q1", "running", c.now()),
		task("tp1", prod, "p1", "running", c.now()), task("tp2", prod, "p1", "failed", c.now().Add(-time.Minute))))
	return store
}

// report is a report of node with one container per service given, cpu percent each.
func report(nodeID string, cpu float64, services ...string) api.AgentReport {
	r := api.AgentReport{NodeID: nodeID, Node: api.NodeSample{CPUs: 4, MemoryTotal: 8 << 30, MemoryAvailable: 4 << 30, DiskTotal: 100 << 30, DiskFree: 50 << 30}}
	for i, svc := range services {
		r.Containers = append(r.Containers, api.ContainerSample{ContainerID: fmt.Sprintf("%s-c%d", nodeID, i), TaskID: fmt.Sprintf("%s-t%d", nodeID, i),
			Service: svc, CPUPercent: cpu, MemoryUsage: uint64(cpu) << 20})
	}
	return r
}

func newTestService(t *testing.T, store *state.Store, c *clock, objects Objects) *Service {
	t.Helper()
	return New(Config{Index: store, Objects: objects, Now: c.now})
}
