package manager

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func TestManagerSpec(t *testing.T) {
	spec := managerSpec(specOptions{image: "exos/manager:1.2.0", port: 7420, socketPath: dockerSocket,
		catalogDir: "/srv/exos/catalogs", catalogKeyID: "key1", agentKeyID: "agentkey1", agentNetworkID: "net1", revisionHistory: 50})
	out, err := json.MarshalIndent(spec, "", "    ")
	assert.NilError(t, err)
	golden.Assert(t, string(out), "manager-spec.golden")
}

type fakeServices struct {
	current *swarm.Service
	created []swarm.ServiceSpec
	updated []swarm.Version
}

func (f *fakeServices) ServiceInspectWithRaw(context.Context, string, swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	if f.current == nil {
		return swarm.Service{}, nil, cerrdefs.ErrNotFound
	}
	return *f.current, nil, nil
}

func (f *fakeServices) ServiceCreate(_ context.Context, spec swarm.ServiceSpec, opts swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error) {
	f.created = append(f.created, spec)
	return swarm.ServiceCreateResponse{ID: "new"}, nil
}

func (f *fakeServices) ServiceUpdate(_ context.Context, id string, v swarm.Version, _ swarm.ServiceSpec, _ swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error) {
	f.updated = append(f.updated, v)
	return swarm.ServiceUpdateResponse{Warnings: []string{"image could not be accessed on a registry"}}, nil
}

func TestDeployManagerCreates(t *testing.T) {
	var out bytes.Buffer
	f := &fakeServices{}
	assert.NilError(t, deployManager(context.Background(), &out, f, managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket})))
	assert.Check(t, is.Len(f.created, 1))
	assert.Check(t, is.Equal(out.String(), "Creating service exos_manager (img:1)\n"))
}

func TestDeployManagerUpdatesAtItsVersion(t *testing.T) {
	var out bytes.Buffer
	f := &fakeServices{current: &swarm.Service{ID: "s1", Meta: swarm.Meta{Version: swarm.Version{Index: 42}}}}
	assert.NilError(t, deployManager(context.Background(), &out, f, managerSpec(specOptions{image: "img:2", port: 7420, socketPath: dockerSocket})))
	assert.Check(t, is.Len(f.created, 0))
	assert.Check(t, is.DeepEqual(f.updated, []swarm.Version{{Index: 42}}))
	assert.Check(t, is.Equal(out.String(),
		"Updating service exos_manager (img:2)\nWarning: image could not be accessed on a registry\n"))
}

func TestWaitForManager(t *testing.T) {
	steps := []error{command.ErrNoManager, errors.New("task is starting"), nil}
	finds := 0
	r := readiness{
		find: func(context.Context, command.EngineClient) (string, error) {
			err := steps[min(finds, len(steps)-1)]
			finds++
			return "http://10.0.0.1:7420", err
		},
		health: func(context.Context, string) error { return nil },
	}
	var out bytes.Buffer
	url, err := waitForManager(context.Background(), &out, r, 10*time.Second)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(url, "http://10.0.0.1:7420"))
	assert.Check(t, is.Equal(out.String(), "Waiting: "+command.ErrNoManager.Error()+"\nWaiting: task is starting\n"))
}

func TestWaitForManagerTimesOutWithTheReason(t *testing.T) {
	r := readiness{
		find:   func(context.Context, command.EngineClient) (string, error) { return "http://m:7420", nil },
		health: func(context.Context, string) error { return errors.New("connection refused") },
	}
	_, err := waitForManager(context.Background(), &bytes.Buffer{}, r, 50*time.Millisecond)
	assert.Error(t, err, "the EXOS manager was not ready within 50ms: waiting for http://m:7420/healthz: connection refused")
}
