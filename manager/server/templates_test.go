package server

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
)

// fakeTemplates echoes requests back as results, so a test sees what reached it.
type fakeTemplates struct {
	deployed api.TemplateDeployRequest
	upgraded api.StackUpgradeRequest
}

func (f *fakeTemplates) Deploy(_ context.Context, name string, req api.TemplateDeployRequest, _, _ string) (api.DeployResult, error) {
	f.deployed = req
	if req.Template == "bad" {
		return api.DeployResult{}, &api.Error{StatusCode: 400, Message: "answers are not valid", Problems: []api.Problem{{Key: "port", Message: "must be an int"}}}
	}
	return api.DeployResult{Stack: name, Revision: 1, Template: &api.TemplateSource{Catalog: "library", Template: "redis", Version: "1.0.0"}}, nil
}

func (f *fakeTemplates) Upgrade(_ context.Context, name string, req api.StackUpgradeRequest, _, _ string) (api.DeployResult, error) {
	f.upgraded = req
	return api.DeployResult{Stack: name, Revision: 2}, nil
}

func (f *fakeTemplates) UpgradeTo(catalog, template, version string) string {
	if catalog+"/"+template+":"+version == "library/redis:1.0.0" {
		return "1.1.0"
	}
	return ""
}

func TestTemplateRoutes(t *testing.T) {
	store := state.New()
	assert.NilError(t, store.UpsertServices(state.NewService(statetest.Service("s1", "cache_redis", "cache", 1))))
	assert.NilError(t, store.UpsertRevisions(&state.Revision{Stack: "cache", Number: 1, Template: &state.TemplateRef{Catalog: "library", Template: "redis", Version: "1.0.0"}}))
	tokens := adminToken(testToken)
	tpl := &fakeTemplates{}
	s := New(Config{Store: store, Stacks: &fakeStacks{store: store}, Templates: tpl, Authenticator: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	c := api.NewClient(ts.URL, testToken, nil)
	ctx := context.Background()

	res, err := c.DeployTemplate(ctx, "cache", api.TemplateDeployRequest{Template: "library/redis", Sets: []string{"a=b"}})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Template.Ref(), "library/redis:1.0.0"))
	assert.Check(t, is.DeepEqual(tpl.deployed.Sets, []string{"a=b"}))

	_, err = c.DeployTemplate(ctx, "cache", api.TemplateDeployRequest{Template: "bad"})
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.ErrorContains(err, "port: must be an int"))

	res, err = c.UpgradeStack(ctx, "cache", api.StackUpgradeRequest{Version: "1.1.0"})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))
	assert.Check(t, is.Equal(tpl.upgraded.Version, "1.1.0"))

	stacks, err := c.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Assert(t, is.Len(stacks, 1))
	assert.Check(t, is.DeepEqual(stacks[0].Template, &api.TemplateSource{Catalog: "library", Template: "redis", Version: "1.0.0"}))
	assert.Check(t, is.Equal(stacks[0].UpgradeTo, "1.1.0"))
}
