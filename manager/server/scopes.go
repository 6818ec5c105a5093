package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// scope is where a request's object lives: the environments its action needs, whether
// the object exists, and the answer for a caller who may not see it: the object's
// not-found, the same whether it exists or not, so guessing names leaks nothing.
type scope struct {
	envs   []string
	exists bool
	// seen: every caller sees the object (a global catalog, listed to everyone), so one
	// who may not act on it is answered 403, not its not-found.
	seen     bool
	notFound error
}

type scopeFunc func(s *Server, r *http.Request) scope

func stackNotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "stack %q does not exist (see `docker exos stack ls`)", name)
}

// stackScope is the stack {name}'s environment.
func stackScope(s *Server, r *http.Request) scope {
	name := r.PathValue("name")
	env, ok := s.stacks.Env(name)
	return scope{envs: []string{env}, exists: ok, notFound: stackNotFound(name)}
}

// deployScope is where a deploy puts the stack: the environment the request names, or
// the one the stack is in; moving a stack takes the right in both. A new stack is always
// "found": deploying it needs the right where it goes, not an existing object.
func deployScope(s *Server, r *http.Request) scope {
	name := r.PathValue("name")
	var body struct {
		Env string `json:"env"`
	}
	peekJSON(r, &body)
	current, exists := s.stacks.Env(name)
	envs := []string{current}
	if body.Env != "" && (!exists || body.Env != current) {
		envs = []string{body.Env}
		if exists {
			envs = append(envs, current)
		}
	}
	// No not-found: refusing a deploy says where it may not go, which the caller named.
	return scope{envs: envs, exists: true}
}

// rollbackScope is the stack's environment and the one the revision rolled back to
// deploys into.
func rollbackScope(s *Server, r *http.Request) scope {
	sc := stackScope(s, r)
	var body api.RollbackRequest
	peekJSON(r, &body)
	// The index holds every revision's environment, archived ones too: no body is read.
	if rev := s.store.Revision(nil, r.PathValue("name"), body.To); rev != nil && !slices.Contains(sc.envs, rev.Env) {
		sc.envs = append(sc.envs, rev.Env)
	}
	return sc
}

// envScope is the environment {name} itself.
func envScope(s *Server, r *http.Request) scope {
	name := r.PathValue("name")
	_, err := s.envs.Inspect(name)
	return scope{envs: []string{name}, exists: err == nil,
		notFound: api.Errorf(api.ErrNotFound, "environment %q does not exist (see `docker exos env ls`)", name)}
}

func catalogNotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "catalog %q does not exist (see `docker exos catalog ls`)", name)
}

// catalogEnv returns the environment a catalog is scoped to ("" for a global one).
func (s *Server) catalogEnv(name string) (string, bool) {
	for _, c := range s.catalogs.List() {
		if c.Name == name {
			return c.Env, true
		}
	}
	return "", false
}

// catalogScope is the environment of catalog {name}: global catalogs are the admin's.
func catalogScope(s *Server, r *http.Request) scope {
	return namedCatalogScope(s, r.PathValue("name"))
}

func namedCatalogScope(s *Server, name string) scope {
	env, ok := s.catalogEnv(name)
	return scope{envs: []string{env}, exists: ok, seen: ok && env == "", notFound: catalogNotFound(name)}
}

// catalogAddScope is the environment a new catalog is for.
func catalogAddScope(s *Server, r *http.Request) scope {
	var body api.CatalogAddRequest
	peekJSON(r, &body)
	return scope{envs: []string{body.Env}, exists: true}
}

// catalogRefreshScope is the catalog ?name= names; refreshing every catalog is the admin's.
func catalogRefreshScope(s *Server, r *http.Request) scope {
	name := r.URL.Query().Get("name")
	if name == "" {
		return scope{envs: []string{""}, exists: true}
	}
	return namedCatalogScope(s, name)
}

// templateScope is the environment of the template's catalog. A global catalog's
// templates are everyone's to read, as the template list shows them to everyone.
func templateScope(s *Server, r *http.Request) scope {
	name := r.PathValue("catalog")
	env, ok := s.catalogEnv(name)
	if ok && env == "" {
		return scope{exists: true}
	}
	return scope{envs: []string{env}, exists: ok, notFound: catalogNotFound(name)}
}

// serviceEnv is the environment of a service by its full name: its stack's.
func (s *Server) serviceEnv(service string) string {
	if svc := s.store.ServiceByName(nil, service); svc != nil {
		env, _ := s.stacks.Env(svc.Stack)
		return env
	}
	stack, _, _ := strings.Cut(service, "_")
	env, _ := s.stacks.Env(stack)
	return env
}

// hookEnvs are the environments of the services a hook scales; an auto hook that may
// scale any service is the admin's.
func (s *Server) hookEnvs(services []string) []string {
	if len(services) == 0 {
		return []string{""}
	}
	var envs []string
	for _, svc := range services {
		if env := s.serviceEnv(svc); !slices.Contains(envs, env) {
			envs = append(envs, env)
		}
	}
	return envs
}

// hookScope is the environments of hook {id}'s services.
func hookScope(s *Server, r *http.Request) scope {
	id := r.PathValue("id")
	notFound := api.Errorf(api.ErrNotFound, "hook %q does not exist (see `docker exos hook ls`)", id)
	h, err := s.scaling.InspectHook(id)
	if err != nil {
		return scope{envs: []string{""}, notFound: notFound}
	}
	return scope{envs: s.envsOfHook(h), exists: true, notFound: notFound}
}

// envsOfHook is where a hook acts: a deploy hook's stack's environment, a scale hook's
// services' environments.
func (s *Server) envsOfHook(h api.Hook) []string {
	if h.Kind == api.HookKindDeploy {
		env, _ := s.stacks.Env(h.Stack)
		return []string{env}
	}
	return s.hookEnvs(h.Services)
}

// hookCreateScope is the environments of the services a new hook is for.
func hookCreateScope(s *Server, r *http.Request) scope {
	var body api.HookCreateRequest
	peekJSON(r, &body)
	if body.Kind == api.HookKindDeploy {
		env, _ := s.stacks.Env(body.Stack)
		return scope{envs: []string{env}, exists: true}
	}
	return scope{envs: s.hookEnvs(body.Services), exists: true}
}
