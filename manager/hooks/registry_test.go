package hooks

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// An upgraded manager knows the hooks an older one stored: the config below is exactly
// what the scaler wrote before hooks had a package of their own.
func TestHooksStoredBeforeThePackageStillWork(t *testing.T) {
	objects := newStoredObjects()
	const token = "old-token"
	old := `{"id":"0a1b2c","kind":"scale","action":"auto","services":[],"path":"/hooks/v1/scale/0a1b2c",` +
		`"createdAt":"2026-01-02T03:04:05Z","createdBy":"carol","rejectedDeliveries":0,"tokenHash":"` + hashToken(token) + `"}`
	assert.NilError(t, objects.Put(context.Background(), "hook", "0a1b2c", []byte(old), nil))
	r := NewRegistry(objects, time.Now)
	assert.NilError(t, r.Load(context.Background()))
	h, err := r.Authenticate(api.HookKindScale, "0a1b2c", token)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(h.CreatedBy, "carol"))
	assert.Check(t, is.Equal(h.Path, "/hooks/v1/scale/0a1b2c"))
}

func TestAuthenticateRefusesEveryBadCallAlike(t *testing.T) {
	r := NewRegistry(newStoredObjects(), time.Now)
	ctx := context.Background()
	scale, err := r.Create(ctx, api.Hook{Kind: api.HookKindScale, Action: api.ActionAuto}, "carol", "")
	assert.NilError(t, err)
	deploy, err := r.Create(ctx, api.Hook{Kind: api.HookKindDeploy, Stack: "shop"}, "carol", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(deploy.Path, "/hooks/v1/deploy/"+deploy.ID))
	assert.Check(t, len(deploy.Token) >= 43, "256-bit token")
	revoked, err := r.Create(ctx, api.Hook{Kind: api.HookKindDeploy, Stack: "shop"}, "carol", "")
	assert.NilError(t, err)
	_, err = r.Revoke(ctx, revoked.ID[:10], "dave", "10.0.0.1:1")
	assert.NilError(t, err)
	for name, call := range map[string][3]string{
		"wrong token":         {api.HookKindDeploy, deploy.ID, deploy.Token + "x"},
		"no token":            {api.HookKindDeploy, deploy.ID, ""},
		"unknown hook":        {api.HookKindDeploy, "nohook", deploy.Token},
		"another hook's":      {api.HookKindDeploy, deploy.ID, scale.Token},
		"another kind's":      {api.HookKindDeploy, scale.ID, scale.Token},
		"revoked":             {api.HookKindDeploy, revoked.ID, revoked.Token},
		"deploy token, scale": {api.HookKindScale, deploy.ID, deploy.Token},
	} {
		_, err := r.Authenticate(call[0], call[1], call[2])
		assert.Check(t, errors.Is(err, api.ErrUnauthorized), name)
		assert.Check(t, is.Equal(err.Error(), "invalid hook or token"), name)
	}
	_, err = r.Authenticate(api.HookKindDeploy, deploy.ID, deploy.Token)
	assert.NilError(t, err)
}

func TestRevokedHooksStayListedAndCannotRotate(t *testing.T) {
	objects := newStoredObjects()
	r := NewRegistry(objects, time.Now)
	ctx := context.Background()
	h, err := r.Create(ctx, api.Hook{Kind: api.HookKindDeploy, Stack: "shop"}, "carol", "")
	assert.NilError(t, err)
	got, err := r.Revoke(ctx, h.ID, "dave", "10.0.0.1:1")
	assert.NilError(t, err)
	assert.Check(t, got.Revoked)
	assert.Check(t, is.Equal(got.RevokedBy, "dave"))

	reloaded := NewRegistry(objects, time.Now)
	assert.NilError(t, reloaded.Load(ctx))
	list := reloaded.List()
	assert.Assert(t, is.Len(list, 1), "a revoked hook stays listed")
	assert.Check(t, list[0].Revoked)
	_, err = reloaded.Authenticate(api.HookKindDeploy, h.ID, h.Token)
	assert.Check(t, errors.Is(err, api.ErrUnauthorized), "revoked after a restart too")
	_, err = reloaded.Rotate(ctx, h.ID, "carol", "")
	assert.Check(t, errors.Is(err, api.ErrConflict))
	assert.Check(t, is.ErrorContains(err, "create a new hook"))
	for _, data := range objects.configs(t) {
		assert.Check(t, !strings.Contains(data, h.Token), "a token is stored in clear")
		assert.Check(t, !strings.Contains(data, hashToken(h.Token)), "a revoked hook keeps its token's hash")
	}
}
