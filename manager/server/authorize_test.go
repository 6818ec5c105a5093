package server

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
)

// Every route the server registers has exactly one rule, and the table has no rule for a
// route that does not exist.
func TestEveryRouteHasARule(t *testing.T) {
	s, _ := newTestServer(t, state.New(), nil)
	for _, route := range s.registered {
		_, ok := permissions[route]
		assert.Check(t, ok, "route %s has no rule in the permission table", route)
	}
	for route := range permissions {
		assert.Check(t, route == "unknown" || slices.Contains(s.registered, route), "rule for %s, which is no route", route)
	}
}

// fixedCaller authenticates every request as one principal.
type fixedCaller authz.Principal

func (f fixedCaller) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal(f), nil
}

// envStacks is a stack service whose stacks live in the environments given.
type envStacks struct {
	fakeStacks
	envs map[string]string
}

func (f *envStacks) Env(name string) (string, bool) {
	env, ok := f.envs[name]
	return env, ok
}

func (f *envStacks) List(_ memdb.WatchSet, sees func(string) bool) []api.Stack {
	var out []api.Stack
	for name, env := range f.envs {
		if sees(env) {
			out = append(out, api.Stack{Name: name, Env: env})
		}
	}
	slices.SortFunc(out, func(a, b api.Stack) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func TestAMemberSeesOnlyItsEnvironments(t *testing.T) {
	store := state.New()
	assert.NilError(t, store.UpsertServices(state.NewService(statetest.Service("s1", "shop_web", "shop", 1))))
	stacks := &envStacks{envs: map[string]string{"shop": "qa", "bank": "prod", "loose": ""}}
	stacks.store = store
	stacks.deployFunc = func(name string, _ api.DeployRequest) (api.DeployResult, error) {
		return api.DeployResult{Stack: name, Revision: 1}, nil
	}
	member := authz.Principal{Name: "bob", User: "bob", Roles: map[string]authz.Role{"qa": authz.RoleMember}}
	c := newAuthorizedServer(t, store, stacks, member)
	ctx := context.Background()

	list, err := c.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(list, []api.Stack{{Name: "shop", Env: "qa"}}))

	_, err = c.InspectStack(ctx, "bank")
	hidden := err
	_, err = c.InspectStack(ctx, "nothing-here")
	assert.Check(t, is.ErrorIs(hidden, api.ErrNotFound))
	assert.Check(t, is.Equal(hidden.Error(), `stack "bank" does not exist (see `+"`docker exos stack ls`"+`)`))
	assert.Check(t, is.Equal(err.Error(), `stack "nothing-here" does not exist (see `+"`docker exos stack ls`"+`)`), "no existence leak")

	_, err = c.DeployStack(ctx, "shop", api.DeployRequest{ComposeFiles: []api.File{{Name: "c.yml", Content: "x"}}})
	assert.NilError(t, err)
	_, err = c.DeployStack(ctx, "shop", api.DeployRequest{ComposeFiles: []api.File{{Name: "c.yml", Content: "x"}}, Env: "prod"})
	assert.Check(t, is.ErrorIs(err, api.ErrForbidden), "moving a stack needs the right where it goes")
	_, err = c.DeployStack(ctx, "new", api.DeployRequest{ComposeFiles: []api.File{{Name: "c.yml", Content: "x"}}})
	assert.Check(t, is.ErrorIs(err, api.ErrForbidden), "outside the environments is the admin's")
	assert.Check(t, is.ErrorContains(err, "bob may not change outside the environments"))
	_, err = c.CreateEnvironment(ctx, api.EnvironmentCreateRequest{Name: "dev"})
	assert.Check(t, is.ErrorIs(err, api.ErrForbidden))

	readOnly := member
	readOnly.ReadOnly, readOnly.Name = true, "bob (token ci)"
	c = newAuthorizedServer(t, store, stacks, readOnly)
	_, err = c.DeployStack(ctx, "shop", api.DeployRequest{ComposeFiles: []api.File{{Name: "c.yml", Content: "x"}}})
	assert.Check(t, is.ErrorContains(err, "bob (token ci) has a read-only token"))
}
