package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const testToken = "exos_test-token"

// fakeStacks records deploys and answers with what its function fields say; its reads
// come from the index it is given, as the stack service's do.
type fakeStacks struct {
	Stacks
	store      *state.Store
	deployFunc func(name string, req api.DeployRequest) (api.DeployResult, error)
}

func (f *fakeStacks) Deploy(_ context.Context, name string, req api.DeployRequest, _, _ string) (api.DeployResult, error) {
	return f.deployFunc(name, req)
}

func (f *fakeStacks) List(ws memdb.WatchSet, sees func(string) bool) []api.Stack {
	out := []api.Stack{}
	for _, st := range f.store.Stacks(ws) {
		stack := api.Stack{Name: st.Name, Services: st.Services, Revision: st.Revision}
		if t := st.Template; t != nil {
			stack.Template = &api.TemplateSource{Catalog: t.Catalog, Template: t.Template, Version: t.Version}
		}
		out = append(out, stack)
	}
	return out
}

func (f *fakeStacks) Services(ws memdb.WatchSet, name string) ([]api.Service, error) {
	out := []api.Service{}
	for _, svc := range f.store.ServicesByStack(ws, name) {
		out = append(out, api.Service{ID: svc.ID, Name: svc.Name, Stack: svc.Stack})
	}
	return out, nil
}

// adminToken authenticates its token as the global admin, as the install-time token
// is; "" authenticates nobody.
type adminToken string

func (t adminToken) Authenticate(r *http.Request) (authz.Principal, error) {
	if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && t != "" && got == string(t) {
		return authz.Principal{Name: "admin", User: "admin", Admin: true}, nil
	}
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required")
}

// newTestServer returns a ready server over store and the manager client for it; stacks
// nil is a fakeStacks over store.
func newTestServer(t testing.TB, store *state.Store, stacks *fakeStacks) (*Server, *api.Client) {
	t.Helper()
	if stacks == nil {
		stacks = &fakeStacks{}
	}
	stacks.store = store
	tokens := adminToken(testToken)
	s := New(Config{Store: store, Stacks: stacks, Authenticator: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Info: func() api.Info { return api.Info{Version: "test"} }})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, api.NewClient(ts.URL, testToken, nil)
}

func TestEveryAPICallNeedsAValidToken(t *testing.T) {
	_, good := newTestServer(t, state.New(), nil)
	for _, token := range []string{"", "exos_wrong", testToken + "x"} {
		c := api.NewClient(good.BaseURL(), token, nil)
		_, err := c.ListStacks(context.Background())
		assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized), "token %q", token)
		assert.Check(t, is.ErrorContains(err, "a valid EXOS token is required"), "same answer whatever the cause")
	}
	_, err := good.ListStacks(context.Background())
	assert.NilError(t, err)
}

func TestListsAreEmptyArraysNotNull(t *testing.T) {
	_, c := newTestServer(t, state.New(), nil)
	req, _ := http.NewRequest(http.MethodGet, c.BaseURL()+"/api/v1/stacks", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	assert.NilError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Check(t, is.Equal(strings.TrimSpace(string(body)), "[]"))
}

func TestNotReadyAnswers503(t *testing.T) {
	tokens := adminToken("")
	s := New(Config{Store: state.New(), Authenticator: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := api.NewClient(ts.URL, testToken, nil)
	assert.Check(t, is.ErrorIs(c.Health(context.Background()), api.ErrUnavailable))
	_, err := c.ListStacks(context.Background())
	assert.Check(t, is.ErrorIs(err, api.ErrUnavailable))
	s.SetReady()
	assert.NilError(t, c.Health(context.Background()))
}

func TestDeployProblemsReachTheClient(t *testing.T) {
	stacks := &fakeStacks{deployFunc: func(name string, _ api.DeployRequest) (api.DeployResult, error) {
		return api.DeployResult{}, &api.Error{StatusCode: http.StatusBadRequest, Message: "stack " + name + " is not valid",
			Problems: []api.Problem{{File: "docker-compose.yml", Line: 4, Key: "services.web.imgae", Message: "unknown key"}}}
	}}
	_, c := newTestServer(t, state.New(), stacks)
	_, err := c.DeployStack(context.Background(), "shop", api.DeployRequest{ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: "x"}}})
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.Equal(err.Error(), "stack shop is not valid\n  docker-compose.yml:4: services.web.imgae: unknown key"))
}

func TestDeployRefusesMalformedBodies(t *testing.T) {
	_, c := newTestServer(t, state.New(), &fakeStacks{})
	for _, body := range []string{`{"composeFiles": [`, `{"composeFile": []}`, `{}`} {
		req, _ := http.NewRequest(http.MethodPost, c.BaseURL()+"/api/v1/stacks/shop/deploy", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		assert.NilError(t, err)
		var eb api.ErrorBody
		assert.NilError(t, json.NewDecoder(resp.Body).Decode(&eb))
		resp.Body.Close()
		assert.Check(t, is.Equal(resp.StatusCode, http.StatusBadRequest), body)
		assert.Check(t, eb.Error != "", body)
	}
}

func TestUnknownRoutesAnswerJSON404(t *testing.T) {
	_, c := newTestServer(t, state.New(), nil)
	_, err := c.StackRevision(context.Background(), "shop", 1)
	assert.Check(t, err != nil)
	req, _ := http.NewRequest(http.MethodGet, c.BaseURL()+"/api/v1/nope", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	assert.NilError(t, err)
	defer resp.Body.Close()
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusNotFound))
	assert.Check(t, is.Equal(resp.Header.Get("Content-Type"), "application/json"))
}

func TestBlockingQueryWakesOnChange(t *testing.T) {
	store := state.New()
	assert.NilError(t, store.UpsertServices(state.NewService(statetest.Service("s1", "shop_web", "shop", 1))))
	_, c := newTestServer(t, store, nil)
	ctx := context.Background()
	svcs, index, err := c.StackServices(ctx, "shop", api.QueryOptions{})
	assert.NilError(t, err)
	assert.Check(t, is.Len(svcs, 1))
	assert.Check(t, index > 0)

	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = store.UpsertServices(state.NewService(statetest.Service("s2", "shop_db", "shop", 2)))
	}()
	svcs, next, err := c.StackServices(ctx, "shop", api.QueryOptions{WaitIndex: index, WaitTime: 10 * time.Second})
	assert.NilError(t, err)
	assert.Check(t, is.Len(svcs, 2))
	assert.Check(t, next > index)
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	_, c := newTestServer(t, state.New(), nil)
	_, _ = c.ListStacks(context.Background())
	resp, err := http.Get(c.BaseURL() + "/metrics")
	assert.NilError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Check(t, is.Contains(string(body), `exos_http_requests_total{code="200",route="GET /api/v1/stacks"} 1`))
	assert.Check(t, is.Contains(string(body), `exos_index_objects{kind="services"} 0`))
}

func (f *fakeStacks) Env(name string) (string, bool) {
	if f.store == nil {
		return "", false
	}
	services := f.store.ServicesByStack(nil, name)
	return "", len(services) > 0
}

// newAuthorizedServer serves the API to one principal.
func newAuthorizedServer(t *testing.T, store *state.Store, stacks Stacks, p authz.Principal) *api.Client {
	t.Helper()
	s := New(Config{Store: store, Stacks: stacks, Authenticator: fixedCaller(p), Log: slog.New(slog.DiscardHandler),
		Environments: &fakeEnvs{}})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return api.NewClient(ts.URL, "any", nil)
}
