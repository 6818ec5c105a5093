package server

import (
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

// listCatalogs lists the global catalogs and those of environments the caller sees.
func (s *Server) listCatalogs(r *http.Request) (any, error) {
	return visibleCatalogs(r, s.catalogs.List()), nil
}

func visibleCatalogs(r *http.Request, all []api.Catalog) []api.Catalog {
	p := principalOf(r)
	out := make([]api.Catalog, 0, len(all))
	for _, c := range all {
		if c.Env == "" || p.Sees(c.Env) {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) addCatalog(r *http.Request) (any, error) {
	var req api.CatalogAddRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, from := caller(r)
	return s.catalogs.Add(r.Context(), req, author, from)
}

// refreshCatalogs fetches one catalog (?name=) or all of them; a failed fetch shows in the
// catalog's Error, not in the status.
func (s *Server) refreshCatalogs(r *http.Request) (any, error) {
	author, _ := caller(r)
	return s.catalogs.Refresh(r.Context(), r.URL.Query().Get("name"), author)
}

func (s *Server) removeCatalog(r *http.Request) (any, error) {
	return nil, s.catalogs.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) listTemplates(r *http.Request) (any, error) {
	q := r.URL.Query()
	list, err := s.catalogs.Templates(q.Get("catalog"), q.Get("category"), q.Get("env"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range visibleCatalogs(r, s.catalogs.List()) {
		seen[c.Name] = true
	}
	out := make([]api.Template, 0, len(list))
	for _, t := range list {
		if seen[t.Catalog] {
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Server) inspectTemplate(r *http.Request) (any, error) {
	return s.catalogs.Template(r.PathValue("catalog"), r.PathValue("name"))
}
