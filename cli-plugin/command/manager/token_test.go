package manager

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

type fakeTokenStore struct {
	configs []swarm.Config
	created []swarm.ConfigSpec
}

func (f *fakeTokenStore) ConfigList(context.Context, swarm.ConfigListOptions) ([]swarm.Config, error) {
	return f.configs, nil
}

func (f *fakeTokenStore) ConfigCreate(_ context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error) {
	f.created = append(f.created, spec)
	f.configs = append(f.configs, swarm.Config{ID: "cfg" + spec.Name, Spec: spec})
	return swarm.ConfigCreateResponse{ID: "cfg" + spec.Name}, nil
}

func TestNewAdminToken(t *testing.T) {
	token, err := newAdminToken()
	assert.NilError(t, err)
	assert.Check(t, strings.HasPrefix(token, "exos_"))
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, "exos_"))
	assert.NilError(t, err)
	assert.Check(t, is.Len(raw, 32), "256 bits")
	other, _ := newAdminToken()
	assert.Check(t, token != other)
}

func TestEnsureAdminTokenCreatesThenReuses(t *testing.T) {
	dir := t.TempDir()
	store := &fakeTokenStore{}
	token, created, err := ensureAdminToken(context.Background(), store, dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, created)
	hash := tokenHash(token)
	assert.Check(t, is.Len(hash, 64))
	assert.Check(t, is.DeepEqual(store.created, []swarm.ConfigSpec{{
		Annotations: swarm.Annotations{Name: "exos-admin-token-" + hash[:12], Labels: map[string]string{"io.exos.kind": "admin-token"}},
		Data:        []byte(hash),
	}}))
	assert.Check(t, !strings.Contains(string(store.created[0].Data), token), "only the hash goes to the swarm")
	saved, err := command.LoadToken(dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(saved, token))

	again, created, err := ensureAdminToken(context.Background(), store, dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, !created, "reinstalling reuses the token")
	assert.Check(t, is.Equal(again, token))
	assert.Check(t, is.Len(store.created, 1))
}

func TestEnsureAdminTokenReplacesAForgottenToken(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, command.SaveToken(dir, "clu1", "exos_from_a_purged_install"))
	store := &fakeTokenStore{}
	token, created, err := ensureAdminToken(context.Background(), store, dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, created)
	assert.Check(t, token != "exos_from_a_purged_install")
	saved, _ := command.LoadToken(dir, "clu1")
	assert.Check(t, is.Equal(saved, token))
}

// Installing again after `docker exos login` finds the install token kept aside, and
// leaves the session in place.
func TestEnsureAdminTokenFindsTheInstallTokenBehindASession(t *testing.T) {
	dir := t.TempDir()
	store := &fakeTokenStore{}
	token, _, err := ensureAdminToken(context.Background(), store, dir, "clu1")
	assert.NilError(t, err)
	login := command.LoginStore{Dir: dir, Swarm: "clu1"}
	assert.NilError(t, login.Save("exos_session", "alice"))

	again, created, err := ensureAdminToken(context.Background(), store, dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, !created)
	assert.Check(t, is.Equal(again, token))
	saved, err := login.Load()
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(saved, command.SavedLogin{Token: "exos_session", User: "alice"}))
}
