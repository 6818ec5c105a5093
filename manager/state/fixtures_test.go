package state

import (
	"strconv"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

// t0 is the base time of every fixture.
var t0 = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func meta(version uint64) swarm.Meta {
	return swarm.Meta{Version: swarm.Version{Index: version}, UpdatedAt: t0.Add(time.Duration(version) * time.Second)}
}

func swarmNode(id, hostname string, state swarm.NodeState, labels map[string]string) swarm.Node {
	return swarm.Node{
		ID:          id,
		Meta:        meta(1),
		Spec:        swarm.NodeSpec{Annotations: swarm.Annotations{Labels: labels}, Role: swarm.NodeRoleWorker, Availability: swarm.NodeAvailabilityActive},
		Description: swarm.NodeDescription{Hostname: hostname},
		Status:      swarm.NodeStatus{State: state, Addr: "10.0.0." + id[len(id)-1:]},
	}
}

// swarmService builds a service; stack, env and rev become the labels EXOS reads when set.
func swarmService(id, name, stack, env string, rev int) swarm.Service {
	labels := map[string]string{}
	if stack != "" {
		labels[labelStack] = stack
	}
	if env != "" {
		labels[labelEnv] = env
	}
	if rev > 0 {
		labels[labelRevision] = strconv.Itoa(rev)
	}
	return swarm.Service{ID: id, Meta: meta(1), Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: name, Labels: labels}}}
}

func swarmTask(id, serviceID, nodeID string, slot int) swarm.Task {
	return swarm.Task{
		ID: id, Meta: meta(1), ServiceID: serviceID, NodeID: nodeID, Slot: slot,
		DesiredState: swarm.TaskStateRunning,
		Status:       swarm.TaskStatus{State: swarm.TaskStateRunning, Timestamp: t0},
	}
}

func revision(stack string, n int, env string) *Revision {
	return &Revision{Stack: stack, Number: n, Env: env, CreatedAt: t0.Add(time.Duration(n) * time.Minute), Data: []byte(`{}`)}
}

// fixture is a small swarm: host-a has a down node (n0, left and rejoined as n1), services
// of stacks shop (EXOS, revision 3) and blog (native), one service outside any stack, and
// revisions for shop and for the removed stacks web and webapp.
func fixture(t *testing.T) *Store {
	t.Helper()
	s := New()
	assert.NilError(t, s.UpsertNodes(
		NewNode(swarmNode("n0", "host-a", swarm.NodeStateDown, nil)),
		NewNode(swarmNode("n1", "host-a", swarm.NodeStateReady, map[string]string{
			"io.exos.env.qa": "true", "io.exos.env.dev": "true", "io.exos.env.prod": "false", "zone": "a",
		})),
		NewNode(swarmNode("n2", "host-b", swarm.NodeStateReady, nil)),
	))
	assert.NilError(t, s.UpsertServices(
		NewService(swarmService("s1", "shop_web", "shop", "dev", 3)),
		NewService(swarmService("s2", "shop_db", "shop", "dev", 3)),
		NewService(swarmService("s3", "blog_web", "blog", "", 0)),
		NewService(swarmService("s4", "lonely", "", "", 0)),
	))
	assert.NilError(t, s.UpsertTasks(
		NewTask(swarmTask("t1", "s1", "n1", 1), "shop"),
		NewTask(swarmTask("t2", "s1", "n2", 2), "shop"),
		NewTask(swarmTask("t3", "s2", "n1", 1), "shop"),
		NewTask(swarmTask("t4", "s3", "n2", 1), "blog"),
		NewTask(swarmTask("t5", "s4", "", 1), ""),
	))
	assert.NilError(t, s.UpsertEnvironments(
		&Environment{Name: "qa", CreatedAt: t0},
		&Environment{Name: "dev", Description: "development", CreatedAt: t0},
	))
	assert.NilError(t, s.UpsertRevisions(
		revision("shop", 1, "dev"), revision("shop", 3, "dev"), revision("shop", 2, "dev"),
		revision("web", 1, "qa"), revision("webapp", 1, "qa"), revision("webapp", 2, "qa"),
	))
	return s
}

// ids returns the IDs of objects, for compact assertions.
func ids[T any](objs []*T, id func(*T) string) []string {
	out := []string{}
	for _, o := range objs {
		out = append(out, id(o))
	}
	return out
}
