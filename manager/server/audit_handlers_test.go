package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/state"
)

// Through the real handlers: the deploy's revision, a failed change, and an event that
// cannot be stored, which keeps the change from being acknowledged.
func TestDeployEventsThroughTheHandlers(t *testing.T) {
	log := &fakeAudit{}
	store := state.New()
	stacks := &envStacks{envs: map[string]string{"shop": "qa"}}
	stacks.store = store
	stacks.deployFunc = func(name string, req api.DeployRequest) (api.DeployResult, error) {
		if req.ComposeFiles[0].Content == "bad" {
			return api.DeployResult{}, api.Errorf(api.ErrInvalid, "not a compose file")
		}
		return api.DeployResult{Stack: name, Revision: 3, Env: "qa"}, nil
	}
	s := New(Config{Store: store, Stacks: stacks, Authenticator: fixedCaller{Name: "bob", User: "bob", Roles: map[string]authz.Role{"qa": authz.RoleMember}},
		Audit: log, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := api.NewClient(ts.URL, "any", nil)
	ctx := context.Background()
	files := func(content string) api.DeployRequest {
		return api.DeployRequest{ComposeFiles: []api.File{{Name: "c.yml", Content: content}}}
	}

	_, err := c.DeployStack(ctx, "shop", files("services: {}"))
	assert.NilError(t, err)
	recorded, noted := log.reset()
	assert.Assert(t, is.Len(recorded, 1))
	assert.Check(t, is.Len(noted, 0))
	e := recorded[0]
	assert.Check(t, is.Equal(e.Action, "stack.deploy"))
	assert.Check(t, is.Equal(e.Object, "stacks/shop"))
	assert.Check(t, is.Equal(e.Env, "qa"))
	assert.Check(t, is.Equal(e.Revision, 3))
	assert.Check(t, is.Equal(e.Actor, "bob"))
	assert.Check(t, is.Equal(e.Source, "127.0.0.1"))

	_, err = c.DeployStack(ctx, "shop", files("bad"))
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	recorded, noted = log.reset()
	assert.Check(t, is.Len(recorded, 0))
	assert.Assert(t, is.Len(noted, 1))
	assert.Check(t, is.Equal(noted[0].Result, api.AuditError))
	assert.Check(t, is.Equal(noted[0].Status, http.StatusBadRequest))

	log.recordErr = errors.New("raft: leader lost")
	_, err = c.DeployStack(ctx, "shop", files("services: {}"))
	assert.Check(t, is.ErrorIs(err, api.ErrUnavailable))
	assert.Check(t, is.ErrorContains(err, "the change was made, but the manager could not store its audit event"))
	assert.Check(t, !strings.Contains(err.Error(), "raft"), "the Engine's error is logged, not answered")
	recorded, noted = log.reset()
	assert.Check(t, is.Len(recorded, 1), "the log keeps the event it could not store")
	assert.Check(t, is.Len(noted, 0), "and the request makes no second one")
}

// A delivery that scaled a service is one event per service, as the hook's actor; one
// refused for its token is none (it is only counted).
func TestHookDeliveriesThatScaleAreRecorded(t *testing.T) {
	log := &fakeAudit{}
	store := state.New()
	stacks := &envStacks{envs: map[string]string{"shop": "qa"}}
	stacks.store = store
	s := New(Config{Store: store, Stacks: stacks, Scaling: &deliveries{}, Audit: log, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	post := func(path string) int {
		resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader("{}"))
		assert.NilError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1/secret"), http.StatusOK))
	recorded, noted := log.reset()
	assert.Check(t, is.Len(noted, 0))
	assert.Assert(t, is.Len(recorded, 1), "the clamped decision changed nothing")
	e := recorded[0]
	assert.Check(t, is.Equal(e.Actor, "alertmanager:h1"))
	assert.Check(t, is.Equal(e.Action, "service.scale"))
	assert.Check(t, is.Equal(e.Object, "services/shop_web"))
	assert.Check(t, is.Equal(e.Env, "qa"))
	assert.Check(t, is.Equal(e.Detail, "replicas 2 -> 3 (alert HighLatency)"))
	assert.Check(t, !strings.Contains(fmt.Sprintf("%+v", e), "secret"), "the token in the path is in no event")

	for range 20 {
		assert.Check(t, is.Equal(post("/hooks/v1/scale/h1/wrong"), http.StatusUnauthorized))
	}
	recorded, noted = log.reset()
	assert.Check(t, is.Len(recorded, 0))
	assert.Check(t, is.Len(noted, 0))
}

// deliveries scales shop_web for the token "secret", and refuses any other.
type deliveries struct{ Scaling }

func (deliveries) Deliver(_ context.Context, id, token, _ string, _ io.Reader) (api.HookResponse, error) {
	if token != "secret" {
		return api.HookResponse{}, api.Errorf(api.ErrUnauthorized, "invalid hook or token")
	}
	return api.HookResponse{Decisions: []api.ScaleDecision{
		{Hook: id, Actor: api.HookActor(id), Alert: "HighLatency", Service: "shop_web", Stack: "shop", From: 2, To: 3, Decision: api.DecisionApplied},
		{Hook: id, Actor: api.HookActor(id), Alert: "HighLatency", Service: "shop_db", Stack: "shop", From: 1, To: 1, Decision: api.DecisionClamped},
	}}, nil
}

// authorCatalogs keeps who the server says added and refreshed a catalog.
type authorCatalogs struct {
	fakeCatalogs
	added, refreshed string
}

func (f *authorCatalogs) Add(_ context.Context, req api.CatalogAddRequest, author, remoteAddr string) (api.Catalog, error) {
	f.added = author + " from " + remoteAddr
	return api.Catalog{Name: req.Name}, nil
}

func (f *authorCatalogs) Refresh(_ context.Context, _, author string) ([]api.Catalog, error) {
	f.refreshed = author
	return []api.Catalog{}, nil
}

func TestCatalogChangesKnowTheirAuthor(t *testing.T) {
	cats := &authorCatalogs{}
	log := &fakeAudit{}
	s := New(Config{Store: state.New(), Catalogs: cats, Authenticator: fixedCaller{Name: "alice (token ci)", User: "alice", Admin: true},
		Audit: log, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := api.NewClient(ts.URL, "any", nil)
	_, err := c.AddCatalog(context.Background(), api.CatalogAddRequest{Name: "community", URL: "https://git.example/c.git"})
	assert.NilError(t, err)
	_, err = c.RefreshCatalog(context.Background(), "")
	assert.NilError(t, err)
	assert.Check(t, strings.HasPrefix(cats.added, "alice (token ci) from 127.0.0.1:"), cats.added)
	assert.Check(t, is.Equal(cats.refreshed, "alice (token ci)"))
	recorded, _ := log.reset()
	assert.Assert(t, is.Len(recorded, 2))
	assert.Check(t, is.Equal(recorded[0].Object, "catalogs/community"), "a create's object is named by its answer")
	assert.Check(t, is.Equal(recorded[1].Action, "catalog.refresh"))
}
