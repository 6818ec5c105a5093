package registries

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

var testKey = bytes.Repeat([]byte{9}, 32)

func newTestService(t *testing.T, objects Objects) *Service {
	t.Helper()
	store := state.New()
	assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: "qa"}))
	s, err := New(store, objects, testKey, func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) })
	assert.NilError(t, err)
	assert.NilError(t, s.Load(context.Background()))
	return s
}

func TestAddChecksStoresWithoutThePasswordAndRemoves(t *testing.T) {
	ctx := context.Background()
	objects := persist.New(swarmtest.NewEngine())
	s := newTestService(t, objects)
	for _, tc := range []struct {
		req    api.RegistryAddRequest
		errMsg string
	}{
		{api.RegistryAddRequest{Name: "my/reg", URL: "r.example:5000"}, "letters, digits"},
		{api.RegistryAddRequest{Name: "r", URL: ""}, "needs the registry's address"},
		{api.RegistryAddRequest{Name: "r", URL: "https://u:hunter2@r.example"}, "must not carry credentials"},
		{api.RegistryAddRequest{Name: "r", URL: "r.example:5000/path"}, "without a path"},
		{api.RegistryAddRequest{Name: "r", URL: "http://r.example"}, "scheme must be https"},
		{api.RegistryAddRequest{Name: "r", URL: "r.example", Env: "dev"}, `environment "dev" does not exist`},
		{api.RegistryAddRequest{Name: "r", URL: "r.example", Insecure: true, CA: "x"}, "not both"},
		{api.RegistryAddRequest{Name: "r", URL: "r.example", CA: "not pem"}, "no PEM certificate"},
		{api.RegistryAddRequest{Name: "r", URL: "r.example", Password: "hunter2"}, "needs a --username"},
	} {
		_, err := s.Add(ctx, tc.req, "alice", "10.0.0.9:1")
		assert.Check(t, is.ErrorIs(err, api.ErrInvalid), tc.req.URL)
		assert.Check(t, is.ErrorContains(err, tc.errMsg))
		if err != nil {
			assert.Check(t, !strings.Contains(err.Error(), "hunter2"), "password leaked: %v", err)
		}
	}
	got, err := s.Add(ctx, api.RegistryAddRequest{Name: "ci", URL: "https://r.example:5000/", Env: "qa", Username: "jenkins", Password: "hunter2"}, "alice", "10.0.0.9:1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.URL, "r.example:5000"))
	assert.Check(t, got.HasPassword)
	assert.Check(t, is.Equal(got.CreatedBy, "alice"))
	_, err = s.Add(ctx, api.RegistryAddRequest{Name: "ci", URL: "r.example"}, "alice", "")
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))

	stored, err := objects.List(ctx, kind)
	assert.NilError(t, err)
	assert.Assert(t, is.Len(stored, 1))
	assert.Check(t, !bytes.Contains(stored[0].Data, []byte("hunter2")), "the stored registry holds the password: %s", stored[0].Data)

	again := newTestService(t, objects) // a restarted manager
	assert.Check(t, is.DeepEqual(again.List(), []api.Registry{got}))
	d, _ := again.document("ci")
	auth, err := again.authenticator(d)
	assert.NilError(t, err)
	cfg, err := auth.Authorization()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cfg.Password, "hunter2"))

	assert.NilError(t, again.Remove(ctx, "ci"))
	assert.Check(t, is.ErrorIs(again.Remove(ctx, "ci"), api.ErrNotFound))
	stored, err = objects.List(ctx, kind)
	assert.NilError(t, err)
	assert.Check(t, is.Len(stored, 0))
}
