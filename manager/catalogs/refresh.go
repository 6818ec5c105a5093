package catalogs

import (
	"context"
	"errors"
	"path"
	"time"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/manager/api"
)

// fetchTimeout bounds one fetch, so that a hung Git server cannot stall the refresh loop.
const fetchTimeout = 2 * time.Minute

// Run refreshes every catalog at once, then on every tick, until ctx ends.
func (s *Service) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		_, _ = s.Refresh(ctx, "", api.ActorManager) // "" never fails: each catalog carries its own error
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// Refresh fetches a catalog again, or every one when name is "", for author, and returns
// the result. A failed fetch is not an error of the call: the catalog keeps its last good
// index, and who asked for it, and says why in Error.
func (s *Service) Refresh(ctx context.Context, name, author string) ([]api.Catalog, error) {
	var entries []*entry
	if name == "" {
		entries = s.snapshot()
	} else if e := s.entry(name); e != nil {
		entries = []*entry{e}
	} else {
		return nil, notFound(name)
	}
	out := make([]api.Catalog, 0, len(entries))
	for _, e := range entries {
		if e.doc.Name != api.CatalogLibrary { // embedded: nothing to fetch
			e = s.swap(s.fetch(ctx, e.doc, author))
		}
		out = append(out, describe(e))
	}
	return out, nil
}

// fetch reads and indexes the catalog d describes, for author. On failure the entry has
// err set and no index; swap merges it with the last good one.
func (s *Service) fetch(ctx context.Context, d document, author string) *entry {
	s.mu.Lock()
	s.fetches++
	e := &entry{doc: d, fetch: s.fetches}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	src, err := s.source(d)
	if err != nil {
		e.err = err.Error()
		return e
	}
	snap, err := catalog.Fetch(ctx, src)
	if err != nil {
		e.err = err.Error()
		return e
	}
	e.commit, e.refreshedAt, e.refreshedBy = snap.Commit, s.now().UTC(), author
	e.setIndex(catalog.Index(snap.FS))
	return e
}

// swap stores the result of a refresh and returns the catalog's entry now. It drops a
// result for a catalog removed (or replaced) meanwhile, and one older than the stored one.
func (s *Service) swap(fetched *entry) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.entries[fetched.doc.Name]
	if cur == nil || cur.doc != fetched.doc || cur.fetch > fetched.fetch {
		if cur == nil {
			return fetched
		}
		return cur
	}
	next := fetched
	if fetched.index == nil { // keep the last good state, with the reason it is not newer
		kept := *cur
		kept.err, kept.fetch = fetched.err, fetched.fetch
		next = &kept
		if cur.err != fetched.err {
			s.log.Warn("catalog refresh failed; keeping the last good state", "catalog", cur.doc.Name, "err", fetched.err)
		}
	}
	s.entries[next.doc.Name] = next
	return next
}

// describe is what the API shows of a catalog.
func describe(e *entry) api.Catalog {
	out := api.Catalog{Name: e.doc.Name, URL: e.doc.URL, Branch: e.doc.Branch, Env: e.doc.Env,
		Commit: e.commit, RefreshedAt: e.refreshedAt, RefreshedBy: e.refreshedBy, Error: e.err,
		CreatedAt: e.doc.CreatedAt, CreatedBy: e.doc.CreatedBy, CreatedFrom: e.doc.CreatedFrom}
	if e.index != nil {
		out.Templates = len(e.index.Templates)
		for _, p := range e.index.Problems {
			out.Problems = append(out.Problems, problem(p))
		}
	}
	return out
}

// problem locates a template's problem by its file, which is under templates/<name>/; a
// problem without a file gets the template's folder, so users can tell which is broken.
func problem(p catalog.TemplateProblem) api.Problem {
	out := api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message}
	if out.File == "" && p.Template != "" {
		out.File = path.Join("templates", p.Template)
	}
	return out
}

// source is where d is fetched from, with its credentials opened.
func (s *Service) source(d document) (catalog.Source, error) {
	src := catalog.Source{URL: d.URL, Branch: d.Branch}
	if d.Credentials == "" {
		return src, nil
	}
	if s.sealer == nil {
		return src, errors.New("it needs credentials, and this manager has no catalog key (the Swarm secret exos-catalog-key): run `docker exos manager install` again")
	}
	creds, err := s.sealer.open(d.Name, d.Credentials)
	if err != nil {
		return src, err
	}
	src.Username, src.Password = creds.Username, creds.Password
	return src, nil
}
