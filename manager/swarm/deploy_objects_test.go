package swarm

import (
	"errors"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestApplySecretChangedInUseChangesNothing(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	stack := testStack()
	stack.Secrets[0].Spec.Data = []byte("new")

	_, err := deploy(d, stack, 2, Options{})
	assert.Check(t, errors.Is(err, api.ErrConflict), "%v", err)
	assert.Check(t, is.ErrorContains(err, `secret "st_sec" changed, but Swarm secrets cannot change and it is used by st_db, st_web`))
	// Swarm refused the update: the failed call is the only one.
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec"})
}

func TestApplyReplacesUnusedChangedConfigAndSecret(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	stack := testStack()
	stack.Services = nil
	apply(t, d, stack, 1)
	f.Mutations()
	stack.Configs[0].Spec.Data = []byte("v2")
	stack.Secrets[0].Spec.Data = []byte("new")

	apply(t, d, stack, 2)
	assert.DeepEqual(t, f.Mutations(), []string{
		"SecretUpdate st_sec", "SecretRemove st_sec", "SecretCreate st_sec", "ConfigRemove st_cfg", "ConfigCreate st_cfg",
	})
	for _, cfg := range f.Configs {
		assert.Check(t, is.Equal(string(cfg.Spec.Data), "v2"))
	}
	for id := range f.Secrets {
		assert.Check(t, is.Equal(string(f.SecretData[id]), "new"))
	}
}

func TestApplyUpdatesConfigLabelsOnly(t *testing.T) {
	f := newFakeEngine()
	d := NewDeployer(f)
	apply(t, d, testStack(), 1)
	f.Mutations()
	stack := testStack()
	stack.Configs[0].Spec.Labels = map[string]string{"team": "a"}

	apply(t, d, stack, 1)
	assert.DeepEqual(t, f.Mutations(), []string{"SecretUpdate st_sec", "ConfigUpdate st_cfg"})
}
