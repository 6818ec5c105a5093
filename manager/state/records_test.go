package state

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestNewNodeDerivesFields(t *testing.T) {
	raw := swarmNode("n1", "host-a", swarm.NodeStateReady, map[string]string{
		"io.exos.env.qa": "true", "io.exos.env.dev": "true", "io.exos.env.prod": "false",
		"io.exos.env.": "true", "io.exos.envx": "true", "zone": "a",
	})
	n := NewNode(raw)
	assert.Check(t, is.Equal(n.ID, "n1"))
	assert.Check(t, is.Equal(n.Hostname, "host-a"))
	assert.Check(t, is.Equal(n.Role, "worker"))
	assert.Check(t, is.Equal(n.State, "ready"))
	assert.Check(t, is.Equal(n.Availability, "active"))
	assert.Check(t, is.Equal(n.Addr, "10.0.0.1"))
	assert.Check(t, is.Equal(n.Labels["zone"], "a"))
	assert.Check(t, is.DeepEqual(n.Envs, []string{"dev", "qa"}))
	assert.Check(t, is.Equal(n.Raw.ID, "n1"))
}

func TestNewServiceDerivesFields(t *testing.T) {
	tests := []struct {
		name     string
		labels   map[string]string
		stack    string
		env      string
		revision int
	}{
		{name: "exos", labels: map[string]string{labelStack: "shop", labelEnv: "dev", labelRevision: "7"}, stack: "shop", env: "dev", revision: 7},
		{name: "native", labels: map[string]string{labelStack: "blog"}, stack: "blog"},
		{name: "bad revision", labels: map[string]string{labelStack: "x", labelRevision: "seven"}, stack: "x"},
		{name: "no labels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := swarm.Service{ID: "s1", Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "svc", Labels: tc.labels}}}
			s := NewService(raw)
			assert.Check(t, is.Equal(s.ID, "s1"))
			assert.Check(t, is.Equal(s.Name, "svc"))
			assert.Check(t, is.Equal(s.Stack, tc.stack))
			assert.Check(t, is.Equal(s.Env, tc.env))
			assert.Check(t, is.Equal(s.Revision, tc.revision))
		})
	}
}

func TestNewTaskDerivesFields(t *testing.T) {
	raw := swarmTask("t1", "s1", "n1", 3)
	raw.Status.State = swarm.TaskStateFailed
	raw.DesiredState = swarm.TaskStateShutdown
	task := NewTask(raw, "shop")
	assert.Check(t, is.DeepEqual(
		[]any{task.ID, task.ServiceID, task.NodeID, task.Stack, task.Slot, task.DesiredState, task.State},
		[]any{"t1", "s1", "n1", "shop", 3, "shutdown", "failed"},
	))
}
