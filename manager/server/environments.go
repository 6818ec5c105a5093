package server

import (
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

func (s *Server) listEnvironments(r *http.Request) (any, error) {
	return s.envs.List(), nil
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
	return nil, s.envs.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) addNode(r *http.Request) (any, error) {
	return s.envs.AddNode(r.Context(), r.PathValue("name"), r.PathValue("node"))
}

func (s *Server) removeNode(r *http.Request) (any, error) {
	return s.envs.RemoveNode(r.Context(), r.PathValue("name"), r.PathValue("node"))
}
