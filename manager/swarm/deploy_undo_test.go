package swarm

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// undoStacks are a first deploy and a second that does every kind of write: update a
// service, create one, prune one, create a network, a config and a secret, relabel a
// config and a secret.
func undoStacks() (first, second *composeext.Stack) {
	first = testStack()
	old := testService("old", "sleep", "1")
	first.Services = append(first.Services, old)

	second = testStack()
	second.Services[1] = testService("web", "sleep", "60")
	fresh := testService("new", "sleep", "2")
	fresh.Spec.TaskTemplate.Networks = []swarm.NetworkAttachmentConfig{{Target: "st_front"}}
	fresh.Spec.TaskTemplate.ContainerSpec.Configs = []*swarm.ConfigReference{{ConfigName: "st_cfg2", File: &swarm.ConfigReferenceFileTarget{Name: "/c2"}}}
	fresh.Spec.TaskTemplate.ContainerSpec.Secrets = []*swarm.SecretReference{{SecretName: "st_sec2", File: &swarm.SecretReferenceFileTarget{Name: "s2"}}}
	second.Services = append(second.Services, fresh)
	second.Networks = append(second.Networks, composeext.Network{Name: "st_front", Create: second.Networks[0].Create})
	second.Configs[0].Spec.Labels = map[string]string{"rev": "2"}
	second.Configs = append(second.Configs, composeext.Config{Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "st_cfg2"}, Data: []byte("c2")}})
	second.Secrets[0].Spec.Labels = map[string]string{"rev": "2"}
	second.Secrets = append(second.Secrets, composeext.Secret{Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "st_sec2"}, Data: []byte("s2")}})
	return first, second
}

// swarmState is the fake swarm by object name, without IDs or versions: what a user sees.
func swarmState(t *testing.T, f *fakeEngine) map[string]string {
	out := map[string]string{}
	put := func(key string, v any) {
		data, err := json.Marshal(v)
		assert.NilError(t, err)
		out[key] = string(data)
	}
	for _, svc := range f.Services {
		put("service "+svc.Spec.Name, svc.Spec)
	}
	for _, nw := range f.Networks {
		put("network "+nw.Name, []any{nw.Driver, nw.Labels})
	}
	for _, cfg := range f.Configs {
		put("config "+cfg.Spec.Name, cfg.Spec)
	}
	for id, sec := range f.Secrets {
		put("secret "+sec.Spec.Name, []any{sec.Spec, f.SecretData[id]})
	}
	return out
}

// A deploy whose Nth write fails, for every N, leaves the swarm exactly as it was.
func TestApplyFailingAtAnyWriteIsUndone(t *testing.T) {
	first, second := undoStacks()
	probe := newFakeEngine()
	apply(t, NewDeployer(probe), first, 1)
	probe.Mutations()
	_, err := deploy(NewDeployer(probe), second, 2, Options{Prune: true})
	assert.NilError(t, err)
	calls := probe.Mutations()
	writes := len(calls)
	t.Logf("writes: %v", calls)
	assert.Assert(t, writes >= 9, "the second deploy writes every kind of object")

	for n := 1; n <= writes; n++ {
		f := newFakeEngine()
		d := NewDeployer(f)
		d.poll = 0
		apply(t, d, first, 1)
		before := swarmState(t, f)
		f.FailAt = f.Writes + n

		_, err := deploy(d, second, 2, Options{Prune: true})
		var applyErr *ApplyError
		assert.Assert(t, errors.As(err, &applyErr), "write %d: %v", n, err)
		assert.Check(t, is.Len(applyErr.Lost, 0), "write %d", n)
		assert.Check(t, is.Len(applyErr.Compensated, n-1), "write %d: every write before the failed one is undone", n)
		assert.Check(t, is.DeepEqual(swarmState(t, f), before), "write %d", n)
	}
}

// A deploy that went through can still be undone, when its record cannot be written.
func TestAppliedUndo(t *testing.T) {
	first, second := undoStacks()
	f := newFakeEngine()
	d := NewDeployer(f)
	d.poll = 0
	apply(t, d, first, 1)
	before := swarmState(t, f)
	plan, err := d.Plan(t.Context(), second, Options{Prune: true})
	assert.NilError(t, err)
	applied, err := d.Apply(t.Context(), plan, 2)
	assert.NilError(t, err)

	err = applied.Undo(t.Context(), errors.New("record failed"))
	var applyErr *ApplyError
	assert.Assert(t, errors.As(err, &applyErr))
	assert.Check(t, is.ErrorContains(err, "record failed; every change it made was undone"))
	assert.Check(t, is.DeepEqual(swarmState(t, f), before))
}
