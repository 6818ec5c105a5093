package swarm

import (
	"context"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// testService is a service as the converter makes it: no IDs in its references.
func testService(name string, command ...string) composeext.Service {
	return composeext.Service{Name: name, Spec: swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: "st_" + name, Labels: map[string]string{LabelNamespace: "st", LabelImage: "exos/busybox:1"}},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:   "exos/busybox:1",
				Command: command,
				Labels:  map[string]string{LabelNamespace: "st"},
				Configs: []*swarm.ConfigReference{{ConfigName: "st_cfg", File: &swarm.ConfigReferenceFileTarget{Name: "/cfg"}}},
				Secrets: []*swarm.SecretReference{{SecretName: "st_sec", File: &swarm.SecretReferenceFileTarget{Name: "sec"}}},
			},
			Networks: []swarm.NetworkAttachmentConfig{{Target: "st_back", Aliases: []string{name}}},
		},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{}},
		EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
	}}
}

func testStack() *composeext.Stack {
	return &composeext.Stack{
		Name:     "st",
		Services: []composeext.Service{testService("db", "sleep", "3600"), testService("web", "sleep", "3600")},
		Networks: []composeext.Network{{Name: "st_back", Create: network.CreateOptions{Labels: map[string]string{LabelNamespace: "st"}}}},
		Configs:  []composeext.Config{{Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "st_cfg"}, Data: []byte("v1")}}},
		Secrets:  []composeext.Secret{{Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "st_sec"}, Data: []byte("pw")}}},
	}
}

func apply(t *testing.T, d *Deployer, stack *composeext.Stack, revision int) []Change {
	t.Helper()
	changes, err := deploy(d, stack, revision, Options{})
	assert.NilError(t, err)
	return changes
}

// deploy plans and applies stack as a deploy does.
func deploy(d *Deployer, stack *composeext.Stack, revision int, opts Options) ([]Change, error) {
	plan, err := d.Plan(context.Background(), stack, opts)
	if err != nil {
		return nil, err
	}
	applied, err := d.Apply(context.Background(), plan, revision)
	if err != nil {
		return nil, err
	}
	return applied.Changes, nil
}

func serviceByName(f *fakeEngine, name string) swarm.Service {
	for _, svc := range f.Services {
		if svc.Spec.Name == name {
			return svc
		}
	}
	return swarm.Service{}
}

func TestApplyCreates(t *testing.T) {
	f := newFakeEngine()
	stack := testStack()
	before := deepCopy(stack)
	changes := apply(t, NewDeployer(f), stack, 7)

	assert.DeepEqual(t, changes, []Change{{"st_db", ActionCreated}, {"st_web", ActionCreated}})
	assert.DeepEqual(t, f.Mutations(), []string{
		"SecretCreate st_sec", "ConfigCreate st_cfg", "NetworkCreate st_back", "ServiceCreate st_db", "ServiceCreate st_web",
	})
	web := serviceByName(f, "st_web").Spec
	assert.Check(t, is.Equal(web.Labels[LabelRevision], "7"))
	assert.Check(t, is.Equal(web.Labels[LabelNamespace], "st"))
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Configs[0].ConfigID, "cfg2"))
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Secrets[0].SecretID, "sec1"))
	nw := f.Networks["net3"]
	assert.Check(t, is.Equal(nw.Driver, "overlay"))
	assert.Check(t, is.DeepEqual(nw.Labels, map[string]string{LabelNamespace: "st"}))
	// labels and IDs went on copies
	assert.DeepEqual(t, stack.Services, before.Services)
	assert.DeepEqual(t, stack.Networks, before.Networks)
}

func TestApplyTwiceChangesNothing(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()

	changes := apply(t, d, testStack(), 1)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionUnchanged}, {"st_web", ActionUnchanged}})
	// docker stack deploy updates existing secrets every time: it is how a changed content is found.
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec"})
}

func TestApplyNewRevisionOnlyRelabels(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	web := serviceByName(f, "st_web")

	changes := apply(t, d, testStack(), 2)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionUnchanged}, {"st_web", ActionUnchanged}})
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec", "ServiceUpdate st_db", "ServiceUpdate st_web"})
	relabelled := serviceByName(f, "st_web")
	assert.Check(t, is.Equal(relabelled.Spec.Labels[LabelRevision], "2"))
	relabelled.Spec.Labels[LabelRevision] = "1"
	assert.Check(t, is.DeepEqual(relabelled.Spec, web.Spec))
}

func TestApplyUpdatesChangedService(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	stack := testStack()
	stack.Services[1] = testService("web", "sleep", "60")
	var versions []uint64
	f.BeforeServiceUpdate = func(f *fakeEngine, id string) { versions = append(versions, f.Services[id].Version.Index) }

	changes := apply(t, d, stack, 2)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionUnchanged}, {"st_web", ActionUpdated}})
	assert.DeepEqual(t, versions, []uint64{1, 1})
	assert.DeepEqual(t, serviceByName(f, "st_web").Spec.TaskTemplate.ContainerSpec.Command, []string{"sleep", "60"})
}

func TestApplyRetriesUpdateOutOfSequence(t *testing.T) {
	for _, tc := range []struct {
		name    string
		races   int
		updates int
		wantErr string
	}{
		{name: "once", races: 1, updates: 2},
		{name: "four times", races: 4, updates: 5},
		{name: "five times", races: 5, updates: 5, wantErr: "failed to update service st_web: Error response from daemon: rpc error: code = Unknown desc = update out of sequence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeEngine()
			d := NewDeployer(f)
			stack := &composeext.Stack{Name: "st", Services: []composeext.Service{testService("web", "sleep", "1")}}
			stack.Services[0].Spec.TaskTemplate.ContainerSpec.Configs = nil
			stack.Services[0].Spec.TaskTemplate.ContainerSpec.Secrets = nil
			stack.Services[0].Spec.TaskTemplate.Networks = nil
			apply(t, d, stack, 1)
			stack.Services[0].Spec.TaskTemplate.ContainerSpec.Command = []string{"sleep", "2"}
			updates := 0
			f.BeforeServiceUpdate = func(f *fakeEngine, id string) {
				updates++
				if updates <= tc.races { // someone else (the autoscaler) updated it meanwhile
					svc := f.Services[id]
					svc.Version.Index++
					f.Services[id] = svc
				}
			}
			changes, err := deploy(d, stack, 2, Options{})
			assert.Check(t, is.Equal(updates, tc.updates))
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			assert.NilError(t, err)
			assert.DeepEqual(t, changes, []Change{{"st_web", ActionUpdated}})
		})
	}
}

func TestApplyPrunesOnlyWhenAsked(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	stack := testStack()
	stack.Services = stack.Services[1:]

	plan, err := d.Plan(context.Background(), stack, Options{})
	assert.NilError(t, err)
	assert.DeepEqual(t, plan.Kept(), []string{"st_db"})
	applied, err := d.Apply(context.Background(), plan, 2)
	assert.NilError(t, err)
	assert.DeepEqual(t, applied.Changes, []Change{{"st_web", ActionUnchanged}})
	assert.DeepEqual(t, applied.Kept, []string{"st_db"})
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec", "ServiceUpdate st_web"})

	changes, err := deploy(d, stack, 3, Options{Prune: true})
	assert.NilError(t, err)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionRemoved}, {"st_web", ActionUnchanged}})
	// As docker stack deploy --prune: services only; networks, configs and secrets stay.
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec", "ServiceUpdate st_web", "ServiceRemove st_db"})
}

func TestApplyRefusedChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(*composeext.Stack)
		want   error
		msg    string
	}{
		{
			name: "external network missing",
			modify: func(s *composeext.Stack) {
				s.Networks = append(s.Networks, composeext.Network{Name: "shared", External: true})
			},
			want: api.ErrInvalid,
			msg:  `network "shared" is declared as external, but could not be found: create a swarm-scoped network before the stack is deployed`,
		},
		{
			name: "external config missing",
			modify: func(s *composeext.Stack) {
				s.Configs = append(s.Configs, composeext.Config{External: true, Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "tls"}}})
			},
			want: api.ErrInvalid,
			msg:  `config "tls" is declared as external, but could not be found: create it before the stack is deployed`,
		},
		{
			name:   "config content changed while in use",
			modify: func(s *composeext.Stack) { s.Configs[0].Spec.Data = []byte("v2") },
			want:   api.ErrConflict,
			msg:    `config "st_cfg" changed, but Swarm configs cannot change and it is used by st_db, st_web: give the changed config a new name (for example with a version suffix)`,
		},
		{
			name:   "network driver changed",
			modify: func(s *composeext.Stack) { s.Networks[0].Create.Driver = "bridge" },
			want:   api.ErrConflict,
			msg:    `network "st_back" of stack st exists with a different driver (overlay, not bridge); networks cannot be changed: remove the stack's services using it and the network, or rename the network`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeEngine()
			d := NewDeployer(f)
			apply(t, d, testStack(), 1)
			f.Mutations()
			stack := testStack()
			tc.modify(stack)

			changes, err := deploy(d, stack, 2, Options{})
			assert.Check(t, errors.Is(err, tc.want), "%v", err)
			assert.Check(t, is.Error(err, tc.msg))
			assert.Check(t, is.Len(changes, 0))
			assert.Check(t, is.Len(f.Mutations(), 0))
		})
	}
}

// keptSecret is st_sec as a redeploy without its withheld password converts it.
func keptSecret(s *composeext.Stack) {
	s.Secrets[0] = composeext.Secret{Keep: true, Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "st_sec"}}}
}

func TestApplyKeepsAWithheldSecret(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	stack := testStack()
	keptSecret(stack)

	changes := apply(t, d, stack, 2)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionUnchanged}, {"st_web", ActionUnchanged}})
	// No SecretUpdate: an update without the content would empty the secret.
	assert.DeepEqual(t, f.Mutations(), []string{"ServiceUpdate st_db", "ServiceUpdate st_web"})
	assert.Check(t, is.Equal(serviceByName(f, "st_web").Spec.TaskTemplate.ContainerSpec.Secrets[0].SecretID, "sec1"))
}

func TestApplyRefusesAWithheldSecretTheSwarmLost(t *testing.T) {
	f := newFakeEngine()
	stack := testStack()
	keptSecret(stack)

	changes, err := deploy(NewDeployer(f), stack, 1, Options{})
	assert.Check(t, errors.Is(err, api.ErrInvalid), "%v", err)
	assert.Check(t, is.ErrorContains(err, `secret "st_sec" was made from a password that EXOS does not keep, and the swarm no longer has it`))
	assert.Check(t, is.Len(changes, 0))
	assert.Check(t, is.Len(f.Mutations(), 0))
}

// Right after `docker stack rm`, Swarm still lists the stack's network it is removing but
// refuses it to new services: the deploy waits for it to go and creates it again.
func TestApplyRecreatesANetworkSwarmIsRemoving(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	d.poll = 0
	apply(t, d, testStack(), 1)
	for id := range f.Services {
		delete(f.Services, id) // docker stack rm removed the services...
	}
	f.Vanishing = map[string]int{"st_back": 2} // ...and Swarm removes the network once their tasks are gone
	f.Mutations()

	changes := apply(t, d, testStack(), 2)
	assert.DeepEqual(t, changes, []Change{{"st_db", ActionCreated}, {"st_web", ActionCreated}})
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec", "ServiceCreate st_db", "NetworkCreate st_back", "ServiceCreate st_db", "ServiceCreate st_web"})
}
