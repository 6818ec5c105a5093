package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
)

// RegistryBrowser reads what a registry holds, with its credentials; part of Registries.
type RegistryBrowser interface {
	Repositories(ctx context.Context, name string, p api.BrowsePage) ([]api.RegistryRepository, string, error)
	Tags(ctx context.Context, name, repo string, p api.BrowsePage) ([]api.RegistryTag, string, error)
	Image(ctx context.Context, name, ref string) (api.RegistryImage, error)
}

// registryRepositories answers a page of the registry's repositories, the name to start
// the next page after in the NextHeader.
func (s *Server) registryRepositories(r *http.Request) (any, error) {
	p, err := browsePage(r)
	if err != nil {
		return nil, err
	}
	repos, next, err := s.registries.Repositories(r.Context(), r.PathValue("name"), p)
	if err != nil {
		return nil, err
	}
	return paged{next: next, value: repos}, nil
}

// registryTags answers a page of the tags of repository ?repo= (which holds '/', so it
// is no path segment).
func (s *Server) registryTags(r *http.Request) (any, error) {
	p, err := browsePage(r)
	if err != nil {
		return nil, err
	}
	repo := r.URL.Query().Get("repo")
	if repo == "" {
		return nil, api.Errorf(api.ErrInvalid, "give the repository to list the tags of: ?repo=REPO")
	}
	tags, next, err := s.registries.Tags(r.Context(), r.PathValue("name"), repo, p)
	if err != nil {
		return nil, err
	}
	return paged{next: next, value: tags}, nil
}

// registryImage inspects image ?ref= (repo:tag or repo@digest).
func (s *Server) registryImage(r *http.Request) (any, error) {
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		return nil, api.Errorf(api.ErrInvalid, "give the image to inspect: ?ref=REPO:TAG or ?ref=REPO@sha256:DIGEST")
	}
	return s.registries.Image(r.Context(), r.PathValue("name"), ref)
}

// browsePage reads ?after= and ?limit=; the service checks the limit's range.
func browsePage(r *http.Request) (api.BrowsePage, error) {
	v := r.URL.Query()
	p := api.BrowsePage{After: v.Get("after")}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, api.Errorf(api.ErrInvalid, "limit must be a number from 1 to 1000, got %q", s)
		}
		p.Limit = n
	}
	return p, nil
}
