package server

import (
	"net/http"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
)

func (s *Server) listEnvironments(r *http.Request) (any, error) {
	return visible(r, s.envs.List(), func(e api.Environment) string { return e.Name }), nil
}

func (s *Server) createEnvironment(r *http.Request) (any, error) {
	var req api.EnvironmentCreateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.envs.Create(r.Context(), req)
}

func (s *Server) inspectEnvironment(r *http.Request) (any, error) {
	return s.envs.Inspect(r.PathValue("name"))
}

func (s *Server) removeEnvironment(r *http.Request) (any, error) {
	name := r.PathValue("name")
	if err := s.envs.Remove(r.Context(), name); err != nil {
		return nil, err
	}
	// An environment made again under this name starts with no members.
	return nil, s.identity.RemoveEnvironment(r.Context(), name)
}

func (s *Server) addNode(r *http.Request) (any, error) {
	return s.envs.AddNode(r.Context(), r.PathValue("name"), r.PathValue("node"))
}

// removeNode takes a node out of an environment; ?force=true lets it take the last node of
// an environment that has stacks.
func (s *Server) removeNode(r *http.Request) (any, error) {
	force, err := queryBool(r, "force")
	if err != nil {
		return nil, err
	}
	return s.envs.RemoveNode(r.Context(), r.PathValue("name"), r.PathValue("node"), force)
}

// queryBool reads a boolean query parameter; absent is false.
func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, api.Errorf(api.ErrInvalid, "%s must be true or false, got %q", name, v)
	}
	return b, nil
}
