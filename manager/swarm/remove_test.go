package swarm

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestRemoveOrder(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	d.poll = 0
	apply(t, d, testStack(), 1)
	other := testStack()
	other.Name = "other"
	other.Services, other.Configs, other.Secrets = nil, nil, nil
	other.Networks[0].Name = "other_back"
	apply(t, d, other, 1)
	f.Mutations()
	var events []string
	f.TaskListFunc = func() []swarm.Task {
		if len(f.Services) > 0 {
			t.Error("TaskList before the services were removed")
		}
		events = append(events, "TaskList")
		if len(events) > 2 {
			return nil
		}
		return []swarm.Task{{ServiceID: "svc4", Annotations: swarm.Annotations{Labels: map[string]string{LabelNamespace: "st"}}}}
	}

	removed, err := d.Remove(context.Background(), "st")
	assert.NilError(t, err)
	assert.Check(t, is.Len(events, 3))
	assert.DeepEqual(t, f.Mutations(), []string{
		"ServiceRemove st_db", "ServiceRemove st_web", "SecretRemove st_sec", "ConfigRemove st_cfg", "NetworkRemove st_back",
	})
	assert.DeepEqual(t, removed, []api.RemovedObject{{Kind: "service", Name: "st_db"}, {Kind: "service", Name: "st_web"},
		{Kind: "secret", Name: "st_sec"}, {Kind: "config", Name: "st_cfg"}, {Kind: "network", Name: "st_back"}})
	assert.Check(t, is.Len(f.Networks, 1), "the other stack's network stays")
}

func TestRemoveWaitIsBoundedByContext(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	f.TaskListFunc = func() []swarm.Task {
		return []swarm.Task{{ServiceID: "svc4", Annotations: swarm.Annotations{Labels: map[string]string{LabelNamespace: "st"}}}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	removed, err := d.Remove(ctx, "st")
	assert.Check(t, errors.Is(err, context.Canceled), "%v", err)
	assert.DeepEqual(t, f.Mutations(), []string{"ServiceRemove st_db", "ServiceRemove st_web"})
	assert.DeepEqual(t, removed, []api.RemovedObject{{Kind: "service", Name: "st_db"}, {Kind: "service", Name: "st_web"}})
}

func TestRemoveUnknownStack(t *testing.T) {
	_, err := NewDeployer(newFakeEngine()).Remove(context.Background(), "nope")
	assert.Check(t, errors.Is(err, api.ErrNotFound))
	assert.Error(t, err, "stack nope: nothing found on the swarm")
}

// dockerd 20.10 keeps the completed tasks of a removed job service forever: they must not
// hold up the removal of the stack's networks.
func TestRemoveDoesNotWaitForFinishedTasks(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	f.TaskListFunc = func() []swarm.Task {
		return []swarm.Task{{ServiceID: "svc4", Annotations: swarm.Annotations{Labels: map[string]string{LabelNamespace: "st"}},
			Status: swarm.TaskStatus{State: swarm.TaskStateComplete}, DesiredState: swarm.TaskStateComplete}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err := d.Remove(ctx, "st")
	assert.NilError(t, err)
	assert.Check(t, is.Contains(f.Mutations(), "NetworkRemove st_back"))
}
