package server

import (
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

func (s *Server) listCatalogs(*http.Request) (any, error) {
	return s.catalogs.List(), nil
}

func (s *Server) addCatalog(r *http.Request) (any, error) {
	var req api.CatalogAddRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.catalogs.Add(r.Context(), req)
}

// refreshCatalogs fetches one catalog (?name=) or all of them; a failed fetch shows in the
// catalog's Error, not in the status.
func (s *Server) refreshCatalogs(r *http.Request) (any, error) {
	return s.catalogs.Refresh(r.Context(), r.URL.Query().Get("name"))
}

func (s *Server) removeCatalog(r *http.Request) (any, error) {
	return nil, s.catalogs.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) listTemplates(r *http.Request) (any, error) {
	q := r.URL.Query()
	return s.catalogs.Templates(q.Get("catalog"), q.Get("category"), q.Get("env"))
}

func (s *Server) inspectTemplate(r *http.Request) (any, error) {
	return s.catalogs.Template(r.PathValue("catalog"), r.PathValue("name"))
}
