package command

import (
	"context"
	"errors"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeEngine answers with fixed objects; a nil service means "not found".
type fakeEngine struct {
	info    system.Info
	service *swarm.Service
	tasks   []swarm.Task
	nodes   map[string]swarm.Node
	configs map[string]swarm.Config
}

func (f *fakeEngine) ConfigInspectWithRaw(_ context.Context, id string) (swarm.Config, []byte, error) {
	c, ok := f.configs[id]
	if !ok {
		return swarm.Config{}, nil, cerrdefs.ErrNotFound.WithMessage("config " + id + " not found")
	}
	return c, nil, nil
}

func (f *fakeEngine) Info(context.Context) (system.Info, error) { return f.info, nil }

func (f *fakeEngine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	if f.service == nil {
		return swarm.Service{}, nil, cerrdefs.ErrNotFound.WithMessage("service " + id + " not found")
	}
	return *f.service, nil, nil
}

func (f *fakeEngine) TaskList(context.Context, swarm.TaskListOptions) ([]swarm.Task, error) {
	return f.tasks, nil
}

func (f *fakeEngine) NodeInspectWithRaw(_ context.Context, id string) (swarm.Node, []byte, error) {
	return f.nodes[id], nil, nil
}

func managerInfo(clusterID string) system.Info {
	return system.Info{Swarm: swarm.Info{
		LocalNodeState: swarm.LocalNodeStateActive, ControlAvailable: true,
		Cluster: &swarm.ClusterInfo{ID: clusterID},
	}}
}

func runningTask(node string, ports ...swarm.PortConfig) swarm.Task {
	t := swarm.Task{ID: "task1", NodeID: node, Status: swarm.TaskStatus{State: swarm.TaskStateRunning}}
	t.Status.PortStatus.Ports = ports
	return t
}

func TestFindManager(t *testing.T) {
	svc := &swarm.Service{ID: "svc1"}
	svcWithSpecPort := &swarm.Service{ID: "svc1", Spec: swarm.ServiceSpec{EndpointSpec: &swarm.EndpointSpec{
		Ports: []swarm.PortConfig{{TargetPort: ManagerPort, PublishedPort: 8000, PublishMode: swarm.PortConfigPublishModeHost}},
	}}}
	node2 := swarm.Node{Status: swarm.NodeStatus{Addr: "10.201.0.12"}}
	testCases := []struct {
		name    string
		engine  *fakeEngine
		want    string
		wantErr string
	}{
		{
			name: "task's published port on its node",
			engine: &fakeEngine{service: svc, nodes: map[string]swarm.Node{"n2": node2}, tasks: []swarm.Task{
				{ID: "old", NodeID: "n1", Status: swarm.TaskStatus{State: swarm.TaskStateShutdown}},
				runningTask("n2", swarm.PortConfig{TargetPort: ManagerPort, PublishedPort: 7421}),
			}},
			want: "http://10.201.0.12:7421",
		},
		{
			name:   "port from the spec before the task reports it",
			engine: &fakeEngine{service: svcWithSpecPort, nodes: map[string]swarm.Node{"n2": node2}, tasks: []swarm.Task{runningTask("n2")}},
			want:   "http://10.201.0.12:8000",
		},
		{
			name: "manager node reporting 0.0.0.0 uses its raft address",
			engine: &fakeEngine{service: svc, tasks: []swarm.Task{runningTask("n1")}, nodes: map[string]swarm.Node{"n1": {
				Status: swarm.NodeStatus{Addr: "0.0.0.0"}, ManagerStatus: &swarm.ManagerStatus{Addr: "10.201.0.11:2377"},
			}}},
			want: "http://10.201.0.11:7420",
		},
		{
			name:    "no service",
			engine:  &fakeEngine{},
			wantErr: ErrNoManager.Error(),
		},
		{
			name: "no running task",
			engine: &fakeEngine{service: svc, tasks: []swarm.Task{{ID: "t9", Status: swarm.TaskStatus{
				State: swarm.TaskStateRejected, Err: "No such image: exos/manager:dev",
			}}}},
			wantErr: "the EXOS manager (service exos_manager) has no running task; task t9 is rejected: " +
				"No such image: exos/manager:dev: see `docker service ps exos_manager`",
		},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FindManager(context.Background(), tc.engine)
			if tc.wantErr != "" {
				assert.Check(t, is.Error(err, tc.wantErr))
				return
			}
			assert.NilError(t, err)
			assert.Check(t, is.Equal(got, tc.want))
		})
	}
}

func TestFindManagerMissingServiceSaysWhatToRun(t *testing.T) {
	_, err := FindManager(context.Background(), &fakeEngine{})
	assert.Check(t, errors.Is(err, ErrNoManager))
	assert.Check(t, is.ErrorContains(err, "run `docker exos manager install`"))
}

func TestSwarmID(t *testing.T) {
	id, err := SwarmID(context.Background(), &fakeEngine{info: managerInfo("clu1")})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "clu1"))

	worker := system.Info{Swarm: swarm.Info{LocalNodeState: swarm.LocalNodeStateActive}}
	_, err = SwarmID(context.Background(), &fakeEngine{info: worker})
	assert.Check(t, errors.Is(err, ErrNotSwarmManager))
	_, err = SwarmID(context.Background(), &fakeEngine{})
	assert.Check(t, is.ErrorContains(err, "not a swarm manager: run `docker swarm init`"))
}

func TestConnect(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	engine := &fakeEngine{info: managerInfo("clu1"), service: &swarm.Service{ID: "s"},
		tasks: []swarm.Task{runningTask("n1")}, nodes: map[string]swarm.Node{"n1": {Status: swarm.NodeStatus{Addr: "10.0.0.9"}}}}

	c, err := connect(context.Background(), engine, managerAddress{}, dir, nil)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(c.BaseURL(), "http://10.0.0.9:7420"))

	c, err = connect(context.Background(), engine, managerAddress{URL: "http://override:1"}, dir, nil)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(c.BaseURL(), "http://override:1"))

	// With URL and token given, the Engine is not needed at all.
	c, err = connect(context.Background(), nil, managerAddress{URL: "http://m:7420", Token: "exos_x"}, dir, nil)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(c.BaseURL(), "http://m:7420"))

	_, err = connect(context.Background(), &fakeEngine{info: managerInfo("other")}, managerAddress{URL: "http://m:1"}, dir, nil)
	assert.Check(t, is.ErrorContains(err, "no EXOS token saved for swarm other"))
}
