package server

import (
	"context"
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

// Registries keeps the private registries; *registries.Service implements it.
type Registries interface {
	Add(ctx context.Context, req api.RegistryAddRequest, author, remoteAddr string) (api.Registry, error)
	List() []api.Registry
	Inspect(name string) (api.Registry, error)
	Remove(ctx context.Context, name string) error
	TestLogin(ctx context.Context, name string) (api.RegistryTestResult, error)
	RegistryBrowser
}

// listRegistries lists the global registries and those of environments the caller sees.
func (s *Server) listRegistries(r *http.Request) (any, error) {
	p := principalOf(r)
	all := s.registries.List()
	out := make([]api.Registry, 0, len(all))
	for _, reg := range all {
		if reg.Env == "" || p.Sees(reg.Env) {
			out = append(out, reg)
		}
	}
	return out, nil
}

func (s *Server) addRegistry(r *http.Request) (any, error) {
	var req api.RegistryAddRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, from := caller(r)
	return s.registries.Add(r.Context(), req, author, from)
}

func (s *Server) inspectRegistry(r *http.Request) (any, error) {
	return s.registries.Inspect(r.PathValue("name"))
}

func (s *Server) removeRegistry(r *http.Request) (any, error) {
	return nil, s.registries.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) testRegistry(r *http.Request) (any, error) {
	return s.registries.TestLogin(r.Context(), r.PathValue("name"))
}

func registryNotFound(name string) error {
	return api.Errorf(api.ErrNotFound, "registry %q does not exist (see `docker exos registry ls`)", name)
}

// registryScope is the environment of registry {name}: a global one is seen by everyone
// and changed by the admin.
func registryScope(s *Server, r *http.Request) scope {
	name := r.PathValue("name")
	reg, err := s.registries.Inspect(name)
	ok := err == nil
	return scope{envs: []string{reg.Env}, exists: ok, seen: ok && reg.Env == "", notFound: registryNotFound(name)}
}

// registryReadScope is registryScope for reading: a global registry is everyone's to
// read (and to test), as the list shows it to everyone.
func registryReadScope(s *Server, r *http.Request) scope {
	if sc := registryScope(s, r); !sc.seen {
		return sc
	}
	return scope{exists: true}
}

// registryAddScope is the environment a new registry is for.
func registryAddScope(s *Server, r *http.Request) scope {
	var body api.RegistryAddRequest
	peekJSON(r, &body)
	return scope{envs: []string{body.Env}, exists: true}
}
