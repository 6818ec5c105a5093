package manager

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeSecretStore answers SecretList with all its secrets, like a name filter matching
// them all by prefix, and records the names filtered on.
type fakeSecretStore struct {
	secrets   []swarm.Secret
	names     [][]string
	created   []swarm.SecretSpec
	createErr error
}

func (f *fakeSecretStore) SecretList(_ context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error) {
	f.names = append(f.names, options.Filters.Get("name"))
	return f.secrets, nil
}

func (f *fakeSecretStore) SecretCreate(_ context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error) {
	if f.createErr != nil {
		return swarm.SecretCreateResponse{}, f.createErr
	}
	f.created = append(f.created, spec)
	return swarm.SecretCreateResponse{ID: "new-key"}, nil
}

func TestInstallCatalogKeyCreates(t *testing.T) {
	store := &fakeSecretStore{secrets: []swarm.Secret{
		{ID: "other", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "exos-catalog-key-old"}}},
	}}
	var out bytes.Buffer
	id, err := installCatalogKey(context.Background(), &out, store)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "new-key"))
	assert.Check(t, is.Equal(out.String(), "Created the catalog key secret exos-catalog-key\n"))
	assert.Check(t, is.DeepEqual(store.names, [][]string{{"exos-catalog-key"}}))
	assert.Assert(t, is.Len(store.created, 1))
	created := store.created[0]
	assert.Check(t, is.Equal(created.Name, "exos-catalog-key"))
	assert.Check(t, is.DeepEqual(created.Labels, map[string]string{"io.exos.kind": "catalog-key"}))
	assert.Check(t, is.Len(created.Data, 32))
	assert.Check(t, !bytes.Equal(created.Data, make([]byte, 32)), "the key is random")
}

func TestInstallCatalogKeyReusesAnExistingKey(t *testing.T) {
	store := &fakeSecretStore{secrets: []swarm.Secret{
		{ID: "other", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "exos-catalog-key-old"}}},
		{ID: "key1", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "exos-catalog-key"}}},
	}}
	var out bytes.Buffer
	id, err := installCatalogKey(context.Background(), &out, store)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "key1"))
	assert.Check(t, is.Len(store.created, 0), "an existing key is never replaced")
	assert.Check(t, is.Equal(out.String(), "Using the catalog key secret exos-catalog-key\n"))
}

func TestInstallCatalogKeyCreateFails(t *testing.T) {
	store := &fakeSecretStore{createErr: errors.New("this node is not a swarm manager")}
	var out bytes.Buffer
	_, err := installCatalogKey(context.Background(), &out, store)
	assert.Error(t, err, "failed to create secret exos-catalog-key: this node is not a swarm manager")
	assert.Check(t, is.Equal(out.String(), ""))
}

func TestCatalogKeyReference(t *testing.T) {
	spec := managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket, catalogKeyID: "key1"})
	// the agent key follows it (agent_test.go)
	assert.Check(t, is.DeepEqual(spec.TaskTemplate.ContainerSpec.Secrets[:1], []*swarm.SecretReference{{
		File:       &swarm.SecretReferenceFileTarget{Name: "exos-catalog-key", UID: "0", GID: "0", Mode: 0o400},
		SecretID:   "key1",
		SecretName: "exos-catalog-key",
	}}))
}
