//go:build e2e

package swarm

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
)

// e2eService is a service as composeext converts it for `image: exos/busybox:1, command:
// sleep 3600, init: true, deploy.endpoint_mode: dnsrr`.
func e2eService(name string, networks ...string) composeext.Service {
	withInit := true
	grace := time.Second
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: "st_" + name, Labels: map[string]string{LabelNamespace: "st", LabelImage: testbed.BusyboxImageRef}},
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
			Image: testbed.BusyboxImageRef, Command: []string{"sleep", "3600"}, Init: &withInit, StopGracePeriod: &grace,
			Labels: map[string]string{LabelNamespace: "st"},
		}},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{}},
		EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
	}
	for _, nw := range networks {
		spec.TaskTemplate.Networks = append(spec.TaskTemplate.Networks, swarm.NetworkAttachmentConfig{Target: nw, Aliases: []string{name}})
	}
	return composeext.Service{Name: name, Spec: spec}
}

func e2eStack() *composeext.Stack {
	stackNet := func(name string) composeext.Network {
		return composeext.Network{Name: name, Create: network.CreateOptions{Driver: "overlay", Labels: map[string]string{LabelNamespace: "st"}}}
	}
	api := e2eService("api", "st_back")
	api.Spec.TaskTemplate.ContainerSpec.Configs = []*swarm.ConfigReference{{
		ConfigName: "st_cfg", File: &swarm.ConfigReferenceFileTarget{Name: "/etc/cfg", UID: "0", GID: "0", Mode: 0o444},
	}}
	api.Spec.TaskTemplate.ContainerSpec.Secrets = []*swarm.SecretReference{{
		SecretName: "st_sec", File: &swarm.SecretReferenceFileTarget{Name: "sec", UID: "0", GID: "0", Mode: 0o400},
	}}
	return &composeext.Stack{
		Name:     "st",
		Services: []composeext.Service{api, e2eService("db", "st_back"), e2eService("worker", "st_back", "st_jobs")},
		Networks: []composeext.Network{stackNet("st_back"), stackNet("st_jobs")},
		Configs: []composeext.Config{{Spec: swarm.ConfigSpec{
			Annotations: swarm.Annotations{Name: "st_cfg", Labels: map[string]string{LabelNamespace: "st"}}, Data: []byte("v1"),
		}}},
		Secrets: []composeext.Secret{{Spec: swarm.SecretSpec{
			Annotations: swarm.Annotations{Name: "st_sec", Labels: map[string]string{LabelNamespace: "st"}}, Data: []byte("pw"),
		}}},
	}
}

func TestDeployE2E(t *testing.T) {
	sw := testbed.Start(t, testbed.Options{Nodes: 1, Images: []string{testbed.BusyboxImage(t)}})
	c := sw.Client(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	d := NewDeployer(c)

	changes, err := deploy(d, e2eStack(), 1, Options{})
	assert.NilError(t, err)
	assert.DeepEqual(t, changes, []Change{{"st_api", ActionCreated}, {"st_db", ActionCreated}, {"st_worker", ActionCreated}})
	assertStackObjects(ctx, t, c, []string{"st_api", "st_db", "st_worker"}, []string{"st_back", "st_jobs"}, "1")
	poll.WaitOn(t, tasksRunning(ctx, c, 3), poll.WithTimeout(time.Minute))
	running := runningTasks(ctx, t, c)

	t.Run("re-apply changes nothing", func(t *testing.T) {
		versions := serviceVersions(ctx, t, c)
		changes, err := deploy(d, e2eStack(), 1, Options{})
		assert.NilError(t, err)
		assert.DeepEqual(t, changes, []Change{{"st_api", ActionUnchanged}, {"st_db", ActionUnchanged}, {"st_worker", ActionUnchanged}})
		assert.DeepEqual(t, serviceVersions(ctx, t, c), versions)
	})

	t.Run("new revision relabels without restarting tasks", func(t *testing.T) {
		changes, err := deploy(d, e2eStack(), 2, Options{})
		assert.NilError(t, err)
		assert.DeepEqual(t, changes, []Change{{"st_api", ActionUnchanged}, {"st_db", ActionUnchanged}, {"st_worker", ActionUnchanged}})
		assertStackObjects(ctx, t, c, []string{"st_api", "st_db", "st_worker"}, []string{"st_back", "st_jobs"}, "2")
		time.Sleep(3 * time.Second) // long enough for Swarm to have replaced tasks if it meant to
		assert.DeepEqual(t, runningTasks(ctx, t, c), running)
	})

	t.Run("changed secret in use is refused", func(t *testing.T) {
		stack := e2eStack()
		stack.Secrets[0].Spec.Data = []byte("other")
		versions := serviceVersions(ctx, t, c)
		_, err := deploy(d, stack, 3, Options{})
		assert.Check(t, errors.Is(err, api.ErrConflict), "%v", err)
		assert.DeepEqual(t, serviceVersions(ctx, t, c), versions)
	})

	t.Run("missing external network is refused", func(t *testing.T) {
		stack := e2eStack()
		stack.Networks = append(stack.Networks, composeext.Network{Name: "shared", External: true})
		_, err := d.Plan(ctx, stack, Options{})
		assert.Check(t, errors.Is(err, api.ErrInvalid))
	})

	t.Run("changed stack updates and prunes", func(t *testing.T) {
		stack := e2eStack()
		stack.Services = stack.Services[:2] // worker goes; its network st_jobs stays, as with docker
		stack.Networks = stack.Networks[:1]
		stack.Services[1].Spec.TaskTemplate.ContainerSpec.Command = []string{"sleep", "3601"}
		changes, err := deploy(d, stack, 3, Options{Prune: true})
		assert.NilError(t, err)
		assert.DeepEqual(t, changes, []Change{{"st_api", ActionUnchanged}, {"st_db", ActionUpdated}, {"st_worker", ActionRemoved}})
		assertStackObjects(ctx, t, c, []string{"st_api", "st_db"}, []string{"st_back", "st_jobs"}, "3")
	})

	_, err = d.Remove(ctx, "st")
	assert.NilError(t, err)
	// Swarm deletes a removed network once no task refers to it any more, shut down ones
	// included: st_jobs, whose service went in the prune above, may take a moment.
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		nws, err := c.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelNamespace+"=st"))})
		if err != nil || len(nws) > 0 {
			return poll.Continue("networks of st left: %v %v", nws, err)
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second))
	assertStackObjects(ctx, t, c, nil, nil, "")
}

// assertStackObjects checks that exactly these services and networks (and one config and
// one secret while there are services) carry the stack label, services with revision.
func assertStackObjects(ctx context.Context, t *testing.T, c *client.Client, services, networks []string, revision string) {
	t.Helper()
	stackFilter := filters.NewArgs(filters.Arg("label", LabelNamespace+"=st"))
	svcs, err := c.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter})
	assert.NilError(t, err)
	var names []string
	for _, svc := range svcs {
		names = append(names, svc.Spec.Name)
		assert.Check(t, is.Equal(svc.Spec.Labels[LabelRevision], revision), svc.Spec.Name)
	}
	slices.Sort(names)
	assert.Check(t, is.DeepEqual(names, services))
	nws, err := c.NetworkList(ctx, network.ListOptions{Filters: stackFilter})
	assert.NilError(t, err)
	names = nil
	for _, nw := range nws {
		names = append(names, nw.Name)
		assert.Check(t, is.Equal(nw.Driver, "overlay"))
	}
	slices.Sort(names)
	assert.Check(t, is.DeepEqual(names, networks))
	cfgs, err := c.ConfigList(ctx, swarm.ConfigListOptions{Filters: stackFilter})
	assert.NilError(t, err)
	secs, err := c.SecretList(ctx, swarm.SecretListOptions{Filters: stackFilter})
	assert.NilError(t, err)
	want := min(len(services), 1)
	assert.Check(t, is.Len(cfgs, want))
	assert.Check(t, is.Len(secs, want))
}

func serviceVersions(ctx context.Context, t *testing.T, c *client.Client) map[string]uint64 {
	t.Helper()
	svcs, err := c.ServiceList(ctx, swarm.ServiceListOptions{})
	assert.NilError(t, err)
	versions := map[string]uint64{}
	for _, svc := range svcs {
		versions[svc.Spec.Name] = svc.Version.Index
	}
	return versions
}

// runningTasks returns the IDs of the tasks meant to run, by service ID.
func runningTasks(ctx context.Context, t *testing.T, c *client.Client) map[string][]string {
	t.Helper()
	tasks, err := c.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("desired-state", "running"))})
	assert.NilError(t, err)
	ids := map[string][]string{}
	for _, task := range tasks {
		ids[task.ServiceID] = append(ids[task.ServiceID], task.ID)
	}
	for list := range maps.Values(ids) {
		slices.Sort(list)
	}
	return ids
}

func tasksRunning(ctx context.Context, c *client.Client, want int) poll.Check {
	return func(poll.LogT) poll.Result {
		tasks, err := c.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("desired-state", "running"))})
		if err != nil {
			return poll.Error(err)
		}
		n := 0
		for _, task := range tasks {
			if task.Status.State == swarm.TaskStateRunning {
				n++
			}
		}
		if n != want {
			return poll.Continue("%d of %d tasks running", n, want)
		}
		return poll.Success()
	}
}
