//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/server"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// rbacGolden is the whole matrix as it was last reviewed: every route, target and actor
// with the status the manager answered. EXOS_UPDATE_GOLDEN=1 rewrites it.
const rbacGolden = "../testdata/e2e/rbac-matrix.txt"

// The RBAC matrix: two environments, an actor of each kind, and every route of the
// permission table (server.Rules: a route added to the table without a probe here fails
// the test) on objects of each environment. Each answer is checked against what the
// table and the actor's roles say (authz), objects the actor may not see must answer
// exactly as objects that do not exist, lists hold exactly what the actor may see, and
// the statuses are compared with the golden matrix.
func TestRBACMatrix(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	fx := newRBACFixture(t, e)
	rows := []string{"# route [target]: " + strings.Join(actorNames(fx.actors), " ")}
	for _, rule := range server.Rules() {
		build, ok := rbacProbes[rule.Route]
		assert.Assert(t, ok, "route %s has no probe in rbacProbes: add one", rule.Route)
		for _, pr := range build(fx) {
			rows = append(rows, fx.runProbe(t, rule, pr))
		}
	}
	fx.checkLists(t)
	compareGolden(t, rbacGolden, strings.Join(rows, "\n")+"\n")
}

// actor is one caller of the matrix: its credential, and what authz says it is (nil
// for a credential the manager must refuse: expired, revoked, disabled, none).
type actor struct {
	name      string
	token     string
	principal *authz.Principal
}

func actorNames(actors []actor) []string {
	names := make([]string, len(actors))
	for i, a := range actors {
		names[i] = a.name
	}
	return names
}

type rbacFixture struct {
	e      *exos
	ctx    context.Context
	actors []actor
	hooks  map[string]string // env -> the ID of a hook scaling that env's stack
	victim string            // ID of a token of "member", for revoking
	member string            // member's token, to make new victims
}

const rbacPassword = "matrix-Pa55-word"

func newRBACFixture(t *testing.T, e *exos) *rbacFixture {
	fx := &rbacFixture{e: e, ctx: context.Background(), hooks: map[string]string{}}
	admin := e.api
	for _, env := range []string{"qa", "prod", "scratch"} {
		e.run("env", "create", env).Assert(t, icmd.Success)
		e.run("env", "add-node", env, "node1").Assert(t, icmd.Success)
	}
	for _, env := range []string{"qa", "prod"} {
		fx.deployStack(t, env)
		fx.createHook(t, env)
		fx.addRegistry(t, env)
	}
	fx.addRegistry(t, "")
	for _, name := range []string{"owner", "member", "reader", "grouped", "disabled", "prober", "spare", "spare2"} {
		_, err := admin.CreateUser(fx.ctx, api.UserCreateRequest{Name: name, Password: rbacPassword})
		assert.NilError(t, err)
	}
	_, err := admin.CreateGroup(fx.ctx, api.GroupCreateRequest{Name: "devs", Members: []string{"grouped"}})
	assert.NilError(t, err)
	for _, m := range [][3]string{{"qa", "owner", "owner"}, {"qa", "member", "member"}, {"qa", "reader", "read-only"},
		{"qa", "@devs", "member"}, {"qa", "disabled", "member"}, {"qa", "spare", "read-only"}, {"prod", "spare", "read-only"}} {
		_, err := admin.AddMember(fx.ctx, m[0], m[1], m[2])
		assert.NilError(t, err)
	}
	qa := func(role authz.Role) map[string]authz.Role { return map[string]authz.Role{"qa": role} }
	fx.member = fx.token(t, "member", api.TokenCreateRequest{Name: "matrix"})
	fx.actors = []actor{
		{name: "anonymous"},
		{name: "expired", token: fx.token(t, "member", api.TokenCreateRequest{Name: "expired", ExpiresIn: "1s"})},
		{name: "revoked", token: fx.revokedToken(t)},
		{name: "disabled", token: fx.token(t, "disabled", api.TokenCreateRequest{Name: "matrix"})},
		{name: "reader", token: fx.token(t, "reader", api.TokenCreateRequest{Name: "matrix"}),
			principal: &authz.Principal{User: "reader", Roles: qa(authz.RoleReadOnly)}},
		{name: "ro-token", token: fx.token(t, "member", api.TokenCreateRequest{Name: "ro", ReadOnly: true}),
			principal: &authz.Principal{User: "member", ReadOnly: true, Roles: qa(authz.RoleMember)}},
		{name: "owner", token: fx.token(t, "owner", api.TokenCreateRequest{Name: "matrix"}),
			principal: &authz.Principal{User: "owner", Roles: qa(authz.RoleOwner)}},
		{name: "member", token: fx.member, principal: &authz.Principal{User: "member", Roles: qa(authz.RoleMember)}},
		{name: "grouped", token: fx.token(t, "grouped", api.TokenCreateRequest{Name: "matrix"}),
			principal: &authz.Principal{User: "grouped", Roles: qa(authz.RoleMember)}},
		{name: "admin", token: e.saved().Token, principal: &authz.Principal{User: "admin", Admin: true}},
	}
	fx.victim = fx.victimToken(t)
	fx.createScratchGroup(t)
	_, err = admin.SetUserDisabled(fx.ctx, "disabled", true)
	assert.NilError(t, err)
	time.Sleep(1100 * time.Millisecond) // the expired token's second passes
	return fx
}

func (fx *rbacFixture) deployStack(t *testing.T, env string) {
	fx.e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", env, env+"-web").Assert(t, icmd.Success)
}

func (fx *rbacFixture) createHook(t *testing.T, env string) {
	h, err := fx.e.api.CreateHook(fx.ctx, api.HookCreateRequest{Kind: "scale", Action: api.ActionUp, Services: []string{env + "-web_app"}})
	assert.NilError(t, err)
	fx.hooks[env] = h.ID
}

// addRegistry adds env's registry (the global one for ""), at an address that refuses
// connections, so its login test fails at once.
func (fx *rbacFixture) addRegistry(t *testing.T, env string) {
	_, err := fx.e.api.AddRegistry(fx.ctx, api.RegistryAddRequest{Name: registryName(env), URL: "127.0.0.1:1", Env: env})
	assert.NilError(t, err)
}

// token logs user in and makes an API token with req.
func (fx *rbacFixture) token(t *testing.T, user string, req api.TokenCreateRequest) string {
	session, err := fx.e.api.WithToken("").Login(fx.ctx, api.LoginRequest{Username: user, Password: rbacPassword})
	assert.NilError(t, err)
	c := fx.e.api.WithToken(session.Token)
	tok, err := c.CreateToken(fx.ctx, req)
	assert.NilError(t, err)
	assert.NilError(t, c.Logout(fx.ctx))
	return tok.Secret
}

func (fx *rbacFixture) revokedToken(t *testing.T) string {
	c := fx.e.api.WithToken(fx.member)
	tok, err := c.CreateToken(fx.ctx, api.TokenCreateRequest{Name: "revoked"})
	assert.NilError(t, err)
	assert.NilError(t, c.RevokeToken(fx.ctx, tok.ID))
	return tok.Secret
}

func (fx *rbacFixture) victimToken(t *testing.T) string {
	tok, err := fx.e.api.WithToken(fx.member).CreateToken(fx.ctx, api.TokenCreateRequest{Name: fmt.Sprintf("victim-%d", time.Now().UnixNano())})
	assert.NilError(t, err)
	return tok.ID
}

// answer is what the manager said to one request.
type answer struct {
	status  int
	message string
}

func (fx *rbacFixture) send(t *testing.T, a actor, method, path string, body any) answer {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		assert.NilError(t, err)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(fx.ctx, method, fx.e.api.BaseURL()+path, rd)
	assert.NilError(t, err)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := fx.e.http.Do(req)
	assert.NilError(t, err, "%s %s", method, path)
	defer resp.Body.Close()
	var e struct {
		Message string `json:"message"`
	}
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &e)
	return answer{status: resp.StatusCode, message: e.Message}
}

// probe is one request of the matrix, on one target.
type probe struct {
	target       string // how the golden file names it: the object's environment, or what it is
	method, path string
	body         any
	// envs are the environments a scoped rule is checked in (none: any caller may).
	envs []string
	// hidden: an object the caller may not see, named object in path, answers as the
	// same request on an object that does not exist, so its existence does not leak.
	hidden bool
	object string
	// exists: the object is there, so a caller who may act never gets 404.
	exists bool
	// owner: an Own route's object belongs to this user; another caller gets 404.
	owner string
	// restore puts the fixture back after a request that changed it (a 2xx).
	restore func(t *testing.T)
	// current, when set, gives path and object anew for every actor: restoring some
	// objects gives them a new ID.
	current func() (path, object string)
}

type outcome string

const (
	allowed       outcome = "allowed"
	forbidden     outcome = "403"
	notFound      outcome = "404"
	unauthorized  outcome = "401"
	unseenGhostOK outcome = "404-as-ghost"
)

// expect is what the permission table says a of pr.
func expect(a actor, rule server.Rule, pr probe) outcome {
	if rule.Action == authz.Public {
		return allowed
	}
	if a.principal == nil {
		return unauthorized
	}
	p := *a.principal
	if !rule.Scoped {
		switch {
		case !p.Allowed(rule.Action, ""):
			return forbidden
		case pr.owner != "" && !p.Owns(pr.owner):
			return notFound
		}
		return allowed
	}
	for _, env := range pr.envs {
		if p.Allowed(rule.Action, env) {
			continue
		}
		if pr.hidden && !p.Sees(env) {
			return unseenGhostOK
		}
		return forbidden
	}
	return allowed
}

// runProbe sends pr as every actor, checks each answer and returns the golden row.
func (fx *rbacFixture) runProbe(t *testing.T, rule server.Rule, pr probe) string {
	t.Helper()
	statuses := make([]string, 0, len(fx.actors))
	for _, a := range fx.actors {
		if pr.current != nil {
			pr.path, pr.object = pr.current()
		}
		want := expect(a, rule, pr)
		got := fx.send(t, a, pr.method, pr.path, pr.body)
		where := fmt.Sprintf("%s [%s] as %s", rule.Route, pr.target, a.name)
		switch want {
		case allowed:
			assert.Check(t, got.status != 401 && got.status != 403, "%s: allowed, got %d %s", where, got.status, got.message)
			if pr.exists {
				assert.Check(t, got.status != 404, "%s: the object exists, got 404 %s", where, got.message)
			}
		case unseenGhostOK:
			ghost := fx.send(t, a, pr.method, strings.Replace(pr.path, pr.object, ghostName, 1), pr.body)
			assert.Check(t, is.Equal(got.status, 404), "%s: %s", where, got.message)
			assert.Check(t, is.Equal(got.status, ghost.status), "%s: unseen and missing objects answer differently", where)
			assert.Check(t, is.Equal(got.message, strings.ReplaceAll(ghost.message, ghostName, pr.object)),
				"%s: unseen and missing objects answer differently", where)
		default:
			assert.Check(t, is.Equal(fmt.Sprint(got.status), string(want)), "%s: %s", where, got.message)
		}
		statuses = append(statuses, fmt.Sprint(got.status))
		if got.status < 300 && pr.restore != nil {
			pr.restore(t)
		}
	}
	return fmt.Sprintf("%s [%s]: %s", rule.Route, pr.target, strings.Join(statuses, " "))
}

// ghostName names the objects that do not exist.
const ghostName = "ghost-object"

// checkLists asserts that the lists answer exactly what each actor may see.
func (fx *rbacFixture) checkLists(t *testing.T) {
	for _, a := range fx.actors {
		if a.principal == nil {
			continue
		}
		p := *a.principal
		var stacks []api.Stack
		fx.get(t, a, "/api/v1/stacks", &stacks)
		assert.Check(t, is.DeepEqual(names(stacks, func(s api.Stack) string { return s.Name }),
			seen(p, map[string]string{"qa-web": "qa", "prod-web": "prod"})), "stack ls as %s", a.name)
		var envs []api.Environment
		fx.get(t, a, "/api/v1/environments", &envs)
		assert.Check(t, is.DeepEqual(names(envs, func(e api.Environment) string { return e.Name }),
			seen(p, map[string]string{"qa": "qa", "prod": "prod", "scratch": "scratch"})), "env ls as %s", a.name)
		var hooks []api.Hook
		fx.get(t, a, "/api/v1/hooks", &hooks)
		assert.Check(t, is.DeepEqual(names(hooks, func(h api.Hook) string { return h.ID }),
			seen(p, map[string]string{fx.hooks["qa"]: "qa", fx.hooks["prod"]: "prod"})), "hook ls as %s", a.name)
		var tokens []api.Token
		fx.get(t, a, "/api/v1/tokens", &tokens)
		for _, tok := range tokens {
			assert.Check(t, p.Owns(tok.User), "token ls as %s shows %s's token", a.name, tok.User)
		}
	}
}

func (fx *rbacFixture) get(t *testing.T, a actor, path string, out any) {
	req, err := http.NewRequestWithContext(fx.ctx, http.MethodGet, fx.e.api.BaseURL()+path, nil)
	assert.NilError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := fx.e.http.Do(req)
	assert.NilError(t, err)
	defer resp.Body.Close()
	assert.Assert(t, is.Equal(resp.StatusCode, 200), "GET %s as %s", path, a.name)
	assert.NilError(t, json.NewDecoder(resp.Body).Decode(out))
}

func names[T any](items []T, name func(T) string) []string {
	out := []string{}
	for _, it := range items {
		if n := name(it); !strings.HasPrefix(n, "exos") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// seen lists the objects (name -> environment) p may see, sorted.
func seen(p authz.Principal, objects map[string]string) []string {
	out := []string{}
	for name, env := range objects {
		if p.Sees(env) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func compareGolden(t *testing.T, path, got string) {
	if os.Getenv("EXOS_UPDATE_GOLDEN") == "1" {
		assert.NilError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	assert.NilError(t, err, "run with EXOS_UPDATE_GOLDEN=1 to write it, then review it")
	if string(want) != got {
		var diff []string
		w, g := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for _, line := range g {
			if !slices.Contains(w, line) {
				diff = append(diff, "+ "+line)
			}
		}
		for _, line := range w {
			if !slices.Contains(g, line) {
				diff = append(diff, "- "+line)
			}
		}
		t.Errorf("the RBAC matrix differs from %s (EXOS_UPDATE_GOLDEN=1 rewrites it):\n%s", path, strings.Join(diff, "\n"))
	}
}
