package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/state"
)

// fakeAudit keeps what the server records and notes.
type fakeAudit struct {
	mu        sync.Mutex
	recorded  []api.AuditEvent
	noted     []api.AuditEvent
	recordErr error
	events    []api.AuditEvent // what List answers from
	query     api.AuditQuery
}

func (f *fakeAudit) Record(_ context.Context, e api.AuditEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recorded = append(f.recorded, e)
	return f.recordErr
}

func (f *fakeAudit) Note(e api.AuditEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noted = append(f.noted, e)
}

func (f *fakeAudit) List(q api.AuditQuery, visible func(api.AuditEvent) bool) ([]api.AuditEvent, string) {
	f.query = q
	out := []api.AuditEvent{}
	for _, e := range f.events {
		if visible == nil || visible(e) {
			out = append(out, e)
		}
	}
	return out, "cursor-1"
}

func (f *fakeAudit) reset() (recorded, noted []api.AuditEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	recorded, noted, f.recorded, f.noted = f.recorded, f.noted, nil, nil
	return recorded, noted
}

func (f *fakeStacks) Revision(name string, number int) (api.Revision, error) {
	return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %s has no revision %d", name, number)
}

// auditEnvs and auditScaling answer the reads the scopes make.
type auditEnvs struct{ Environments }

func (auditEnvs) Inspect(name string) (api.Environment, error) {
	return api.Environment{Name: name}, nil
}

type auditScaling struct{ Scaling }

func (auditScaling) InspectHook(id string) (api.Hook, error) {
	return api.Hook{ID: id, Services: []string{"shop_web"}}, nil
}

// auditRegistries finds every registry, global.
type auditRegistries struct{ Registries }

func (auditRegistries) Inspect(name string) (api.Registry, error) {
	return api.Registry{Name: name}, nil
}

// refusingCaller authenticates no one.
type refusingCaller struct{}

func (refusingCaller) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required")
}

// newAuditedServer is a server whose scopes find stack "shop" in environment qa.
func newAuditedServer(authn Authenticator, log AuditLog) *Server {
	store := state.New()
	stacks := &envStacks{envs: map[string]string{"shop": "qa"}}
	stacks.store = store
	s := New(Config{Store: store, Stacks: stacks, Environments: auditEnvs{}, Catalogs: &fakeCatalogs{}, Registries: auditRegistries{}, Scaling: auditScaling{},
		Authenticator: authn, Audit: log, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	return s
}

// serveRoute sends one request to route, with its path's placeholders filled, to a
// handler that answers like a service that did the change.
func serveRoute(s *Server, route string) *httptest.ResponseRecorder {
	method, pattern, _ := strings.Cut(route, " ")
	path := strings.NewReplacer("{name}", "shop", "{id}", "h1", "{node}", "node1", "{catalog}", "library").Replace(pattern)
	for strings.Contains(path, "{") { // placeholders of routes added later
		open, end := strings.IndexByte(path, '{'), strings.IndexByte(path, '}')
		path = path[:open] + "x1" + path[end+1:]
	}
	handler := func(*http.Request) (any, error) {
		if strings.Contains(route, "/stacks/{name}/") {
			return api.DeployResult{Stack: "shop", Revision: 7}, nil
		}
		return nil, nil
	}
	mux := http.NewServeMux()
	mux.Handle(route, s.wrap(route, handler))
	req := httptest.NewRequest(method, path, strings.NewReader("{}"))
	req.RemoteAddr = "10.0.0.9:50123"
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

// routes returns the permission table's routes, sorted, that keep is true for.
func routes(keep func(route string, r rule) bool) []string {
	var out []string
	for route, r := range permissions {
		if route != "unknown" && keep(route, r) {
			out = append(out, route)
		}
	}
	slices.Sort(out)
	return out
}

// changes keeps the routes that change something: a writing action, not a GET.
func changes(route string, r rule) bool {
	writes := r.action != authz.Read && r.action != authz.Self && r.action != authz.Public
	return writes && !strings.HasPrefix(route, "GET ")
}

// Every mutating route in the permission table: one acknowledged request, exactly one
// event, stored before the answer, with the caller, the source address, the request ID
// and the revision made.
func TestEveryAcknowledgedChangeIsRecordedOnce(t *testing.T) {
	log := &fakeAudit{}
	s := newAuditedServer(fixedCaller{Name: "alice", User: "alice", Admin: true}, log)
	mutating := routes(changes)
	assert.Assert(t, len(mutating) >= 15, "the walk must cover the table: %v", mutating)
	for _, route := range mutating {
		rec := serveRoute(s, route)
		assert.Check(t, rec.Code < 300, "%s answered %d: %s", route, rec.Code, rec.Body.String())
		recorded, noted := log.reset()
		if !assert.Check(t, is.Len(recorded, 1), route) {
			continue
		}
		assert.Check(t, is.Len(noted, 0), route)
		e := recorded[0]
		action, _, _ := actionOf(route)
		assert.Check(t, is.Equal(e.Actor, "alice"), route)
		assert.Check(t, is.Equal(e.Source, "10.0.0.9"), route)
		assert.Check(t, is.Equal(e.Route, route))
		assert.Check(t, is.Equal(e.Action, action), route)
		assert.Check(t, is.Equal(e.Result, api.AuditOK), route)
		assert.Check(t, is.Equal(e.Status, rec.Code), route)
		assert.Check(t, e.RequestID != "" && e.RequestID == rec.Header().Get(api.RequestIDHeader), route)
		assert.Check(t, !strings.Contains(e.Object, "{") && e.Object != "", "%s: object %q", route, e.Object)
		if strings.Contains(route, "/stacks/{name}/") {
			assert.Check(t, is.Equal(e.Revision, 7), route)
		}
		if strings.Contains(route, "/stacks/{name}") {
			assert.Check(t, is.Equal(e.Env, "qa"), route)
			assert.Check(t, is.Equal(e.Object, "stacks/shop"), route)
		}
	}
}

// Reads that succeed are no events; every denied request is one, batched.
func TestReadsAreNotAuditedButDenialsAre(t *testing.T) {
	log := &fakeAudit{}
	s := newAuditedServer(fixedCaller{Name: "alice", User: "alice", Admin: true}, log)
	reads := routes(func(route string, r rule) bool { return !changes(route, r) && strings.HasPrefix(route, "GET ") })
	for _, route := range reads {
		serveRoute(s, route)
		recorded, noted := log.reset()
		assert.Check(t, is.Len(recorded, 0), route)
		assert.Check(t, is.Len(noted, 0), route)
	}

	// A read-only token may change nothing: every mutating route refuses it.
	readOnly := fixedCaller{Name: "mallory (token ro)", User: "mallory", ReadOnly: true, Roles: map[string]authz.Role{"qa": authz.RoleOwner}}
	s = newAuditedServer(readOnly, log)
	for _, route := range routes(changes) {
		rec := serveRoute(s, route)
		assert.Check(t, rec.Code == http.StatusForbidden || rec.Code == http.StatusNotFound, "%s answered %d", route, rec.Code)
		recorded, noted := log.reset()
		assert.Check(t, is.Len(recorded, 0), route)
		if assert.Check(t, is.Len(noted, 1), route) {
			assert.Check(t, is.Equal(noted[0].Result, api.AuditDenied), route)
			assert.Check(t, is.Equal(noted[0].Actor, "mallory (token ro)"), route)
			assert.Check(t, is.Equal(noted[0].Status, rec.Code), route)
		}
	}

	// No token at all: a read or a change, each refusal is noted, with no actor.
	s = newAuditedServer(refusingCaller{}, log)
	for _, route := range []string{"GET /api/v1/stacks/{name}", "POST /api/v1/stacks/{name}/deploy"} {
		rec := serveRoute(s, route)
		assert.Check(t, is.Equal(rec.Code, http.StatusUnauthorized))
		recorded, noted := log.reset()
		assert.Check(t, is.Len(recorded, 0), route)
		if assert.Check(t, is.Len(noted, 1), route) {
			assert.Check(t, is.Equal(noted[0].Result, api.AuditDenied))
			assert.Check(t, is.Equal(noted[0].Actor, ""))
			assert.Check(t, is.Equal(noted[0].Object, ""), "so that a flood of them coalesces")
		}
	}
}

func TestActionNames(t *testing.T) {
	for route, want := range map[string]string{
		"DELETE /api/v1/stacks/{name}":                 "stack.remove",
		"POST /api/v1/stacks/{name}/deploy":            "stack.deploy",
		"POST /api/v1/environments":                    "environment.create",
		"PUT /api/v1/environments/{name}/nodes/{node}": "environment.node.set",
		"POST /api/v1/catalogs/refresh":                "catalog.refresh",
		"POST /api/v1/hooks/{id}/rotate":               "hook.rotate",
		"GET /api/v1/stacks/{name}/revisions":          "stack.revision.read",
		"POST /api/v1/login":                           "login",
		"POST /api/v1/users/{name}/disable":            "user.disable",
		"PUT /api/v1/auth/ldap":                        "auth.ldap.set",
		"POST /api/v1/registries":                      "registry.create",
	} {
		got, _, _ := actionOf(route)
		assert.Check(t, is.Equal(got, want), route)
	}
}

func TestRequestIDs(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set(api.RequestIDHeader, "ci-run-42:step.3")
	assert.Check(t, is.Equal(requestID(rec, req), "ci-run-42:step.3"), "a sane ID is the client's")
	assert.Check(t, is.Equal(rec.Header().Get(api.RequestIDHeader), "ci-run-42:step.3"))
	for _, bad := range []string{"", "a b", strings.Repeat("x", 65), "id\nforged"} {
		req.Header.Set(api.RequestIDHeader, bad)
		id := requestID(httptest.NewRecorder(), req)
		assert.Check(t, validRequestID.MatchString(id) && id != bad, "%q replaced by %q", bad, id)
	}
}

// Routes that change no EXOS object but are events (logging in and out): one batched
// event each; a failed login names the user it tried, and nothing else of its body.
func TestLoginsAndLogoutsAreNoted(t *testing.T) {
	log := &fakeAudit{}
	s := newAuditedServer(fixedCaller{Name: "alice", User: "alice"}, log)
	noted := routes(func(route string, r rule) bool {
		return !changes(route, r) && !strings.HasPrefix(route, "GET ")
	})
	assert.Assert(t, len(noted) > 0, "the table has logins and logouts")
	for _, route := range noted {
		serveRoute(s, route)
		recorded, got := log.reset()
		assert.Check(t, is.Len(recorded, 0), route)
		assert.Check(t, is.Len(got, 1), route)
	}

	s = newAuditedServer(fixedCaller{}, log)
	mux := http.NewServeMux()
	const route = "POST /api/v1/login"
	mux.Handle(route, s.wrap(route, func(r *http.Request) (any, error) {
		var req api.LoginRequest
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return nil, api.Errorf(api.ErrUnauthorized, "wrong user name or password")
	}))
	req := httptest.NewRequest(http.MethodPost, "/api/v1/login", strings.NewReader(`{"username": "carol", "password": "hunter2"}`))
	mux.ServeHTTP(httptest.NewRecorder(), req)
	_, got := log.reset()
	assert.Assert(t, is.Len(got, 1))
	assert.Check(t, is.Equal(got[0].Actor, "carol"))
	assert.Check(t, is.Equal(got[0].Action, "login"))
	assert.Check(t, is.Equal(got[0].Result, api.AuditDenied))
	assert.Check(t, !strings.Contains(fmt.Sprintf("%+v", got[0]), "hunter2"), "no password in an event")
}
