package manager

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/cli-plugin/command"
)

// taskEngine answers TaskList with the next of its rounds of tasks, then the last one.
type taskEngine struct {
	command.EngineClient
	rounds [][]swarm.Task
	calls  int
}

func (f *taskEngine) Info(context.Context) (system.Info, error) { return system.Info{}, nil }

func (f *taskEngine) TaskList(context.Context, swarm.TaskListOptions) ([]swarm.Task, error) {
	tasks := f.rounds[min(f.calls, len(f.rounds)-1)]
	f.calls++
	return tasks, nil
}

func managerTask(id string, spec swarm.ServiceSpec) swarm.Task {
	return swarm.Task{ID: id, Spec: spec.TaskTemplate}
}

// TestWaitForManagerWaitsForTheNewSpec: after an update the old task still answers, so
// install waits until Swarm runs the spec it wrote.
func TestWaitForManagerWaitsForTheNewSpec(t *testing.T) {
	old := managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket, catalogKeyID: "k"})
	updated := managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket, catalogKeyID: "k", catalogDir: "/srv/catalogs"})
	engine := &taskEngine{rounds: [][]swarm.Task{
		{managerTask("t1", old)},
		{managerTask("t1", old), managerTask("t2", updated)},
		{managerTask("t2", updated)},
	}}
	r := readiness{
		find:   func(context.Context, command.EngineClient) (string, error) { return "http://10.0.0.1:7420", nil },
		engine: engine, health: func(context.Context, string) error { return nil },
		want: updated.TaskTemplate.ContainerSpec,
	}
	var out bytes.Buffer
	url, err := waitForManager(context.Background(), &out, r, 10*time.Second)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(url, "http://10.0.0.1:7420"))
	assert.Check(t, is.Equal(engine.calls, 3))
	assert.Check(t, is.Equal(out.String(), "Waiting: Swarm is replacing task t1 with the new spec\n"))
}

// An unchanged spec is ready at once: Swarm does not replace the task.
func TestWaitForManagerUnchangedSpec(t *testing.T) {
	spec := managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket, catalogKeyID: "k"})
	r := readiness{
		find:   func(context.Context, command.EngineClient) (string, error) { return "http://m:7420", nil },
		engine: &taskEngine{rounds: [][]swarm.Task{{managerTask("t1", spec)}}}, health: func(context.Context, string) error { return nil },
		want: spec.TaskTemplate.ContainerSpec,
	}
	_, err := waitForManager(context.Background(), &bytes.Buffer{}, r, 10*time.Second)
	assert.NilError(t, err)
}
