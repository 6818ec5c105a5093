package stack

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/docker/cli/cli/streams"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// snapshots answers blocking queries from a list of states, one per index.
func snapshots(states ...[]api.Service) (*test.FakeManager, *[]uint64) {
	var asked []uint64
	return &test.FakeManager{
		StackServicesFunc: func(_ context.Context, _ string, q api.QueryOptions) ([]api.Service, uint64, error) {
			asked = append(asked, q.WaitIndex)
			i := min(int(q.WaitIndex), len(states)-1)
			return states[i], uint64(i + 1), nil
		},
	}, &asked
}

func TestWaitForStackConverges(t *testing.T) {
	mgr, asked := snapshots(
		[]api.Service{{Name: "web_api", Desired: 2, Running: 0}},
		[]api.Service{{Name: "web_api", Desired: 2, Running: 1}},
		[]api.Service{{Name: "web_api", Desired: 2, Running: 2}},
	)
	var out bytes.Buffer
	err := waitForStack(context.Background(), streams.NewOut(&out), mgr, "web", target{}, time.Minute)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(*asked, []uint64{0, 1, 2}), "each query waits for the index of the previous answer")
	assert.Check(t, is.Equal(out.String(), "web_api 0/2\nweb_api 1/2\nweb_api 2/2 (converged)\n"+
		"Stack web converged: every service runs its desired replicas\n"))
}

func TestWaitForStackFails(t *testing.T) {
	mgr, _ := snapshots([]api.Service{{Name: "web_api", Desired: 2, Running: 1, UpdateState: "paused", UpdateMessage: "update paused due to failure"}})
	tgt := target{Changed: map[string]bool{"web_api": true}}
	err := waitForStack(context.Background(), streams.NewOut(&bytes.Buffer{}), mgr, "web", tgt, time.Minute)
	assert.Error(t, err, "stack web did not converge: service web_api: update paused: update paused due to failure")
}

func TestWaitForStackTimesOut(t *testing.T) {
	mgr := &test.FakeManager{
		StackServicesFunc: func(context.Context, string, api.QueryOptions) ([]api.Service, uint64, error) {
			return []api.Service{{Name: "web_api", Desired: 3, Running: 1}}, 5, nil
		},
	}
	err := waitForStack(context.Background(), streams.NewOut(&bytes.Buffer{}), mgr, "web", target{}, 50*time.Millisecond)
	assert.Error(t, err, "timed out after 50ms waiting for stack web: web_api 1/3")
}

func TestDeployWait(t *testing.T) {
	dir := writeFiles(t, map[string]string{"c.yml": "services:\n  api:\n    image: exos/busybox:1\n"})
	mgr, _ := snapshots([]api.Service{{Name: "web_api", Desired: 1, Running: 1, Revision: 2}})
	mgr.DeployStackFunc = func(_ context.Context, name string, _ api.DeployRequest) (api.DeployResult, error) {
		return api.DeployResult{Stack: name, Revision: 2, Services: []api.ServiceChange{{Name: "web_api", Action: "created"}}}, nil
	}
	cli := test.NewFakeCli(mgr, nil)
	cmd := newDeployCommand(cli)
	cmd.SetArgs([]string{"-c", dir + "/c.yml", "--wait", "web"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Stack web deployed as revision 2\n  created   web_api\n"+
		"web_api 1/1 (converged)\nStack web converged: every service runs its desired replicas\n"))
}
