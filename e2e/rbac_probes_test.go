//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
)

// rbacProbes has, for every route of the permission table, the requests the matrix sends.
// Changes are sent with a body the handler refuses (400) once authorization let them
// through, so that the matrix changes nothing; what has no body to refuse (a removal)
// changes the fixture, and its probe puts it back.
var rbacProbes = map[string]func(fx *rbacFixture) []probe{
	"GET /api/v1/info": global("GET", "/api/v1/info", nil),

	"GET /api/v1/stacks":                           global("GET", "/api/v1/stacks", nil),
	"GET /api/v1/stacks/{name}":                    onStacks("GET", "", nil),
	"DELETE /api/v1/stacks/{name}":                 removeStack,
	"POST /api/v1/stacks/{name}/deploy":            deployInto,
	"POST /api/v1/stacks/{name}/rollback":          onStacks("POST", "/rollback", api.RollbackRequest{To: 999}),
	"POST /api/v1/stacks/{name}/template":          templateInto,
	"POST /api/v1/stacks/{name}/upgrade":           onStacks("POST", "/upgrade", map[string]any{}),
	"GET /api/v1/stacks/{name}/services":           onStacks("GET", "/services", nil),
	"GET /api/v1/stacks/{name}/containers":         onStacks("GET", "/containers", nil),
	"GET /api/v1/stacks/{name}/revisions":          onStacks("GET", "/revisions", nil),
	"GET /api/v1/stacks/{name}/revisions/{number}": onStacks("GET", "/revisions/1", nil),
	"POST /api/v1/stacks/{name}/image":             onStacks("POST", "/image", api.SetImageRequest{}),
	"GET /api/v1/stacks/{name}/diff":               onStacks("GET", "/diff", nil),

	"GET /api/v1/environments":                          global("GET", "/api/v1/environments", nil),
	"POST /api/v1/environments":                         global("POST", "/api/v1/environments", api.EnvironmentCreateRequest{Name: "Not A Name!"}),
	"GET /api/v1/environments/{name}":                   onEnvs("GET", "", nil, nil),
	"DELETE /api/v1/environments/{name}":                removeScratchEnv,
	"PUT /api/v1/environments/{name}/nodes/{node}":      global("PUT", "/api/v1/environments/scratch/nodes/node1", nil),
	"DELETE /api/v1/environments/{name}/nodes/{node}":   removeScratchNode,
	"GET /api/v1/environments/{name}/members":           onEnvs("GET", "/members", nil, nil),
	"PUT /api/v1/environments/{name}/members/{subject}": onEnvs("PUT", "/members/spare", api.MemberRequest{Role: "boss"}, nil),
	"DELETE /api/v1/environments/{name}/members/{subject}": onEnvs("DELETE", "/members/spare", nil, func(fx *rbacFixture, t *testing.T, env string) {
		_, err := fx.e.api.AddMember(fx.ctx, env, "spare", "read-only")
		assert.NilError(t, err)
	}),

	"GET /api/v1/catalogs":                   global("GET", "/api/v1/catalogs", nil),
	"POST /api/v1/catalogs":                  addCatalog,
	"POST /api/v1/catalogs/refresh":          refreshCatalogs,
	"DELETE /api/v1/catalogs/{name}":         onLibrary("DELETE", "/api/v1/catalogs/library"),
	"GET /api/v1/templates":                  global("GET", "/api/v1/templates", nil),
	"GET /api/v1/templates/{catalog}/{name}": readTemplate,

	"GET /api/v1/registries":              global("GET", "/api/v1/registries", nil),
	"POST /api/v1/registries":             addRegistry,
	"GET /api/v1/registries/{name}":       onRegistries("GET", "", nil),
	"DELETE /api/v1/registries/{name}":    onRegistries("DELETE", "", func(fx *rbacFixture, t *testing.T, env string) { fx.addRegistry(t, env) }),
	"POST /api/v1/registries/{name}/test": onRegistries("POST", "/test", nil),
	// Browsing an unreachable registry answers 502 to whoever may read it.
	"GET /api/v1/registries/{name}/repositories": onRegistries("GET", "/repositories", nil),
	"GET /api/v1/registries/{name}/tags":         onRegistries("GET", "/tags?repo=app", nil),
	"GET /api/v1/registries/{name}/image":        onRegistries("GET", "/image?ref=app:1", nil),

	"GET /api/v1/hooks":              global("GET", "/api/v1/hooks", nil),
	"POST /api/v1/hooks":             createHook,
	"GET /api/v1/hooks/{id}":         onHooks("GET", "", nil),
	"DELETE /api/v1/hooks/{id}":      onHooks("DELETE", "", func(fx *rbacFixture, t *testing.T, env string) { fx.createHook(t, env) }),
	"POST /api/v1/hooks/{id}/rotate": onHooks("POST", "/rotate", nil),
	"GET /api/v1/scaling/history":    global("GET", "/api/v1/scaling/history", nil),
	"POST /api/v1/hooks/{id}/revoke": onHooks("POST", "/revoke", func(fx *rbacFixture, t *testing.T, env string) {
		// A revoked hook stays listed: remove it, so the lists hold the fixture's hooks.
		assert.NilError(t, fx.e.api.RemoveHook(fx.ctx, fx.hooks[env]))
		fx.createHook(t, env)
	}),
	"GET /api/v1/deploy-hooks/history": global("GET", "/api/v1/deploy-hooks/history", nil),

	"POST /api/v1/login":          global("POST", "/api/v1/login", api.LoginRequest{Username: "prober", Password: rbacPassword}),
	"POST /api/v1/logout":         global("POST", "/api/v1/logout", nil),
	"GET /api/v1/whoami":          global("GET", "/api/v1/whoami", nil),
	"PUT /api/v1/whoami/password": global("PUT", "/api/v1/whoami/password", api.PasswordRequest{}),

	"POST /api/v1/users":                          global("POST", "/api/v1/users", api.UserCreateRequest{Name: "Not A Name!"}),
	"GET /api/v1/users":                           global("GET", "/api/v1/users", nil),
	"GET /api/v1/users/{name}":                    global("GET", "/api/v1/users/spare", nil),
	"DELETE /api/v1/users/{name}":                 removeSpareUser,
	"POST /api/v1/users/{name}/disable":           global("POST", "/api/v1/users/spare2/disable", nil),
	"POST /api/v1/users/{name}/enable":            global("POST", "/api/v1/users/spare2/enable", nil),
	"PUT /api/v1/users/{name}/password":           global("PUT", "/api/v1/users/spare2/password", api.PasswordRequest{}),
	"POST /api/v1/groups":                         global("POST", "/api/v1/groups", api.GroupCreateRequest{Name: "Not A Name!"}),
	"GET /api/v1/groups":                          global("GET", "/api/v1/groups", nil),
	"GET /api/v1/groups/{name}":                   global("GET", "/api/v1/groups/devs", nil),
	"DELETE /api/v1/groups/{name}":                removeScratchGroup,
	"PUT /api/v1/groups/{name}/members/{user}":    global("PUT", "/api/v1/groups/devs/members/spare2", nil),
	"DELETE /api/v1/groups/{name}/members/{user}": removeGroupMember,
	"POST /api/v1/tokens":                         global("POST", "/api/v1/tokens", api.TokenCreateRequest{Name: "made-by-the-matrix"}),
	"GET /api/v1/tokens":                          global("GET", "/api/v1/tokens", nil),
	"DELETE /api/v1/tokens/{id}":                  revokeVictim,

	"GET /api/v1/auth/ldap":       global("GET", "/api/v1/auth/ldap", nil),
	"PUT /api/v1/auth/ldap":       global("PUT", "/api/v1/auth/ldap", api.LDAPSettingsRequest{}),
	"DELETE /api/v1/auth/ldap":    global("DELETE", "/api/v1/auth/ldap", nil),
	"POST /api/v1/auth/ldap/test": global("POST", "/api/v1/auth/ldap/test", api.LDAPTestRequest{}),

	"GET /api/v1/audit": global("GET", "/api/v1/audit", nil),

	// The dashboard answers everyone with what they see. The event stream never ends by
	// itself: its probe names an environment that does not exist, answered before any
	// stream starts. A pin over 256 bytes is refused once authorized.
	"GET /api/v1/dashboard":        perEnv("/api/v1/dashboard", "?env=%s"),
	"GET /api/v1/dashboard/events": global("GET", "/api/v1/dashboard/events?env="+ghostName, nil),
	"GET /api/v1/dashboard/pins":   global("GET", "/api/v1/dashboard/pins", nil),
	"PUT /api/v1/dashboard/pins":   global("PUT", "/api/v1/dashboard/pins", api.DashboardPins{Services: []string{strings.Repeat("x", 300)}}),
	"GET /api/v1/hosts":            global("GET", "/api/v1/hosts", nil),
	"GET /api/v1/hosts/{id}":       global("GET", "/api/v1/hosts/node1", nil),
	"GET /api/v1/usage":            perEnv("", "/api/v1/usage?stack=%s-web"),
}

// perEnv probes a route that answers what the caller sees: at all (path, unless ""),
// then narrowed to each environment (sub with the environment's name), which a caller
// who does not see it is answered 404, as if it did not exist.
func perEnv(path, sub string) func(*rbacFixture) []probe {
	return func(*rbacFixture) []probe {
		var out []probe
		if path != "" {
			out = append(out, probe{target: "global", method: "GET", path: path})
		}
		for _, env := range rbacEnvs {
			out = append(out, probe{target: env, method: "GET", path: path + fmt.Sprintf(sub, env)})
		}
		return out
	}
}

// rbacEnvs are the two environments of the matrix: the actors' roles are in qa.
var rbacEnvs = []string{"qa", "prod"}

// global is a route outside the environments: one probe.
func global(method, path string, body any) func(*rbacFixture) []probe {
	return func(*rbacFixture) []probe {
		return []probe{{target: "global", method: method, path: path, body: body}}
	}
}

// onStacks probes stack ENV-web of each environment, at the stack's path plus sub.
func onStacks(method, sub string, body any) func(*rbacFixture) []probe {
	return func(*rbacFixture) []probe {
		var out []probe
		for _, env := range rbacEnvs {
			name := env + "-web"
			out = append(out, probe{target: env, method: method, path: "/api/v1/stacks/" + name + sub, body: body,
				envs: []string{env}, hidden: true, object: name, exists: true})
		}
		return out
	}
}

func removeStack(fx *rbacFixture) []probe {
	out := onStacks("DELETE", "", nil)(fx)
	for i := range out {
		env := rbacEnvs[i]
		out[i].restore = func(t *testing.T) { fx.deployStack(t, env) }
	}
	return out
}

// deployInto deploys a compose file the manager refuses into each environment.
func deployInto(*rbacFixture) []probe {
	var out []probe
	for _, env := range rbacEnvs {
		body := api.DeployRequest{Env: env, ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: "services:\n  app:\n    image: 1\n    replicas: lots\n"}}}
		out = append(out, probe{target: env, method: "POST", path: "/api/v1/stacks/" + env + "-web/deploy", body: body, envs: []string{env}})
	}
	return out
}

func templateInto(*rbacFixture) []probe {
	var out []probe
	for _, env := range rbacEnvs {
		body := map[string]any{"template": "library/no-such-template", "env": env}
		out = append(out, probe{target: env, method: "POST", path: "/api/v1/stacks/" + env + "-tpl/template", body: body, envs: []string{env}})
	}
	return out
}

// onEnvs probes each environment at its path plus sub.
func onEnvs(method, sub string, body any, restore func(*rbacFixture, *testing.T, string)) func(*rbacFixture) []probe {
	return func(fx *rbacFixture) []probe {
		var out []probe
		for _, env := range rbacEnvs {
			pr := probe{target: env, method: method, path: "/api/v1/environments/" + env + sub, body: body,
				envs: []string{env}, hidden: true, object: env, exists: true}
			if restore != nil {
				pr.restore = func(t *testing.T) { restore(fx, t, env) }
			}
			out = append(out, pr)
		}
		return out
	}
}

func removeScratchEnv(fx *rbacFixture) []probe {
	pr := global("DELETE", "/api/v1/environments/scratch", nil)(fx)
	pr[0].restore = func(t *testing.T) {
		fx.e.run("env", "create", "scratch").Assert(t, icmd.Success)
		fx.e.run("env", "add-node", "scratch", "node1").Assert(t, icmd.Success)
	}
	return pr
}

func removeScratchNode(fx *rbacFixture) []probe {
	pr := global("DELETE", "/api/v1/environments/scratch/nodes/node1", nil)(fx)
	pr[0].restore = func(t *testing.T) { fx.e.run("env", "add-node", "scratch", "node1").Assert(t, icmd.Success) }
	return pr
}

// addCatalog asks for a catalog in each environment and a global one, with no URL.
func addCatalog(*rbacFixture) []probe {
	var out []probe
	for _, env := range append(rbacEnvs, "") {
		target := env
		if env == "" {
			target = "global"
		}
		out = append(out, probe{target: target, method: "POST", path: "/api/v1/catalogs",
			body: api.CatalogAddRequest{Name: "matrix", Env: env}, envs: []string{env}})
	}
	return out
}

// addRegistry asks for a registry with no address in each environment and a global one.
func addRegistry(*rbacFixture) []probe {
	var out []probe
	for _, env := range append(rbacEnvs, "") {
		target := env
		if env == "" {
			target = "global"
		}
		out = append(out, probe{target: target, method: "POST", path: "/api/v1/registries",
			body: api.RegistryAddRequest{Name: "matrix", Env: env}, envs: []string{env}})
	}
	return out
}

// onRegistries probes each environment's registry (hidden from who may not see it) and
// the global one (seen by everyone, changed by the admin), at its path plus sub.
func onRegistries(method, sub string, restore func(*rbacFixture, *testing.T, string)) func(*rbacFixture) []probe {
	return func(fx *rbacFixture) []probe {
		var out []probe
		for _, env := range append(rbacEnvs, "") {
			name, target := registryName(env), env
			pr := probe{target: target, method: method, path: "/api/v1/registries/" + name + sub,
				envs: []string{env}, hidden: env != "", object: name, exists: true}
			if env == "" {
				pr.target = "global"
				if method != "DELETE" { // reading and testing a global registry is everyone's
					pr.envs = nil
				}
			}
			if restore != nil {
				pr.restore = func(t *testing.T) { restore(fx, t, env) }
			}
			out = append(out, pr)
		}
		return out
	}
}

// registryName is the fixture's registry of env ("" for the global one).
func registryName(env string) string {
	if env == "" {
		return "global-reg"
	}
	return env + "-reg"
}

// refreshCatalogs refreshes them all (the admin's), and the Library, a global catalog
// everyone sees, and a catalog that does not exist.
func refreshCatalogs(*rbacFixture) []probe {
	return []probe{
		{target: "all", method: "POST", path: "/api/v1/catalogs/refresh", envs: []string{""}},
		{target: "library", method: "POST", path: "/api/v1/catalogs/refresh?name=library", envs: []string{""}, exists: true},
	}
}

// onLibrary acts on the Library: seen by everyone, changed by the admin only.
func onLibrary(method, path string) func(*rbacFixture) []probe {
	return func(*rbacFixture) []probe {
		return []probe{{target: "library", method: method, path: path, envs: []string{""}, exists: true}}
	}
}

// readTemplate reads a template of the Library: a global catalog, everyone's to read.
func readTemplate(*rbacFixture) []probe {
	return []probe{{target: "library", method: "GET", path: "/api/v1/templates/library/redis", exists: true}}
}

// onHooks probes each environment's hook, at its path plus sub.
func onHooks(method, sub string, restore func(*rbacFixture, *testing.T, string)) func(*rbacFixture) []probe {
	return func(fx *rbacFixture) []probe {
		var out []probe
		for _, env := range rbacEnvs {
			pr := probe{target: env, method: method, envs: []string{env}, hidden: true, exists: true,
				current: func() (string, string) { return "/api/v1/hooks/" + fx.hooks[env] + sub, fx.hooks[env] }}
			if restore != nil {
				pr.restore = func(t *testing.T) { restore(fx, t, env) }
			}
			out = append(out, pr)
		}
		return out
	}
}

// createHook asks for a hook with an action that does not exist on each environment's
// service.
func createHook(*rbacFixture) []probe {
	var out []probe
	for _, env := range rbacEnvs {
		body := api.HookCreateRequest{Kind: "scale", Action: "sideways", Services: []string{env + "-web_app"}}
		out = append(out, probe{target: env, method: "POST", path: "/api/v1/hooks", body: body, envs: []string{env}})
		// A deploy hook takes the right on its stack's environment; the bad tag pattern
		// makes it fail once allowed, so nothing is created.
		deploy := api.HookCreateRequest{Kind: "deploy", Stack: env + "-web", TagPattern: "["}
		out = append(out, probe{target: env + " (deploy)", method: "POST", path: "/api/v1/hooks", body: deploy, envs: []string{env}})
	}
	return out
}

func removeSpareUser(fx *rbacFixture) []probe {
	pr := global("DELETE", "/api/v1/users/spare2", nil)(fx)
	pr[0].restore = func(t *testing.T) {
		_, err := fx.e.api.CreateUser(fx.ctx, api.UserCreateRequest{Name: "spare2", Password: rbacPassword})
		assert.NilError(t, err)
	}
	return pr
}

func removeScratchGroup(fx *rbacFixture) []probe {
	pr := global("DELETE", "/api/v1/groups/scratch-group", nil)(fx)
	pr[0].restore = func(t *testing.T) { fx.createScratchGroup(t) }
	return pr
}

func (fx *rbacFixture) createScratchGroup(t *testing.T) {
	_, err := fx.e.api.CreateGroup(fx.ctx, api.GroupCreateRequest{Name: "scratch-group", Members: []string{"spare2"}})
	assert.NilError(t, err)
}

func removeGroupMember(fx *rbacFixture) []probe {
	pr := global("DELETE", "/api/v1/groups/scratch-group/members/spare2", nil)(fx)
	pr[0].restore = func(t *testing.T) {
		_, err := fx.e.api.AddGroupMember(fx.ctx, "scratch-group", "spare2")
		assert.NilError(t, err)
	}
	return pr
}

// revokeVictim revokes a token of member's: member's own, the admin's to revoke too.
func revokeVictim(fx *rbacFixture) []probe {
	return []probe{{target: "member's", method: "DELETE", owner: "member", exists: true,
		current: func() (string, string) { return fmt.Sprintf("/api/v1/tokens/%s", fx.victim), fx.victim },
		restore: func(t *testing.T) { fx.victim = fx.victimToken(t) }}}
}
