package catalogs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestLoadHasTheLibrary(t *testing.T) {
	s := newTestService(t, newObjects())
	cats := s.List()
	assert.Assert(t, is.Len(cats, 1))
	lib := cats[0]
	assert.Check(t, is.Equal(lib.Name, api.CatalogLibrary))
	assert.Check(t, is.Equal(lib.URL, "embedded"))
	assert.Check(t, is.Equal(lib.Commit, "embedded"))
	assert.Check(t, lib.Templates >= 8, "templates: %d", lib.Templates)
	assert.Check(t, is.Len(lib.Problems, 0))
}

func TestAddChecksAndFetchesFirst(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	commit := repo.Commit(t, "first")

	tests := []struct {
		name   string
		req    api.CatalogAddRequest
		kind   error
		errMsg string
	}{
		{name: "good", req: api.CatalogAddRequest{Name: "community", URL: repo.Dir}},
		{name: "good on a branch, in an environment", req: api.CatalogAddRequest{Name: "qa_cat", URL: repo.Dir, Branch: "main", Env: "qa"}},
		{name: "library", req: api.CatalogAddRequest{Name: "library", URL: repo.Dir}, kind: api.ErrConflict, errMsg: "built-in Library"},
		{name: "bad name", req: api.CatalogAddRequest{Name: "my/cat", URL: repo.Dir}, kind: api.ErrInvalid, errMsg: "letters, digits"},
		{name: "no URL", req: api.CatalogAddRequest{Name: "c"}, kind: api.ErrInvalid, errMsg: "needs the URL"},
		{name: "missing repository", req: api.CatalogAddRequest{Name: "c", URL: filepath.Join(t.TempDir(), "none")}, kind: api.ErrInvalid, errMsg: "repository not found"},
		{name: "missing branch", req: api.CatalogAddRequest{Name: "c", URL: repo.Dir, Branch: "nope"}, kind: api.ErrInvalid, errMsg: `branch not found: "nope"`},
		{name: "unknown environment", req: api.CatalogAddRequest{Name: "c", URL: repo.Dir, Env: "dev"}, kind: api.ErrInvalid, errMsg: `environment "dev" does not exist`},
		{name: "credentials in the URL of a missing server", req: api.CatalogAddRequest{Name: "c", URL: "http://u:secret@127.0.0.1:1/x.git"}, kind: api.ErrInvalid, errMsg: "cannot fetch http://127.0.0.1:1/x.git"},
		{name: "duplicate", req: api.CatalogAddRequest{Name: "community", URL: repo.Dir}, kind: api.ErrConflict, errMsg: "already exists"},
	}
	objects := newObjects()
	s := newTestService(t, objects)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(objects.objs)
			got, err := s.Add(context.Background(), tc.req, "alice", "10.0.0.9:41000")
			if tc.kind != nil {
				assert.Check(t, is.ErrorIs(err, tc.kind))
				assert.Check(t, is.ErrorContains(err, tc.errMsg))
				assert.Check(t, !strings.Contains(err.Error(), "secret"), "credentials leaked: %v", err)
				assert.Check(t, is.Len(objects.objs, before), "nothing stored")
				return
			}
			assert.NilError(t, err)
			assert.Check(t, is.Equal(got.Commit, commit))
			assert.Check(t, is.Equal(got.Templates, 1))
			assert.Check(t, is.Equal(got.RefreshedAt, testNow))
			assert.Check(t, is.Equal(got.RefreshedBy, "alice"), "the author's add is the first fetch")
			assert.Check(t, is.Equal(got.CreatedBy, "alice"))
			assert.Check(t, is.Equal(got.CreatedFrom, "10.0.0.9:41000"))
			assert.Check(t, is.Equal(got.CreatedAt, testNow))
			assert.Check(t, is.Equal(got.Env, tc.req.Env))
			assert.Check(t, is.Contains(objects.objs, tc.req.Name))
		})
	}
	assert.Check(t, is.DeepEqual(names(s.List()), []string{"library", "community", "qa_cat"}))
}

func names(cats []api.Catalog) []string {
	var out []string
	for _, c := range cats {
		out = append(out, c.Name)
	}
	return out
}

func TestRemove(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	repo.Commit(t, "first")
	objects := newObjects()
	s := newTestService(t, objects)
	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "community", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)

	assert.NilError(t, s.Remove(context.Background(), "community"))
	assert.Check(t, is.Len(objects.objs, 0))
	assert.Check(t, is.DeepEqual(names(s.List()), []string{"library"}))
	_, err = s.Template("community", "web")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))

	assert.Check(t, is.ErrorIs(s.Remove(context.Background(), "community"), api.ErrNotFound))
	err = s.Remove(context.Background(), "library")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.ErrorContains(err, "cannot be removed"))
}

func TestLoadAfterRestart(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	commit := repo.Commit(t, "first")
	gone := catalogtest.NewRepo(t)
	addTemplate(t, gone, "db", "Databases", 0, "1.0.0", false)
	gone.Commit(t, "first")
	objects := newObjects()
	s := newTestService(t, objects)
	for name, dir := range map[string]string{"community": repo.Dir, "gone": gone.Dir} {
		_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: name, URL: dir}, "alice", "10.0.0.9:41000")
		assert.NilError(t, err)
	}
	assert.NilError(t, os.RemoveAll(gone.Dir))

	restarted := newTestService(t, objects)
	cats := restarted.List()
	assert.Check(t, is.DeepEqual(names(cats), []string{"library", "community", "gone"}))
	assert.Check(t, is.Equal(cats[1].Commit, ""), "Load does not fetch")
	assert.Check(t, is.Equal(cats[1].CreatedBy, "alice"), "the author is stored with the catalog")
	assert.Check(t, is.Equal(cats[0].RefreshedBy, api.ActorManager), "the Library comes with the manager")

	cats, err := restarted.Refresh(context.Background(), "", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cats[1].Commit, commit))
	assert.Check(t, is.Equal(cats[1].Error, ""))
	assert.Check(t, is.Equal(cats[2].Templates, 0))
	assert.Check(t, is.Contains(cats[2].Error, "repository not found"))
	list, err := restarted.Templates("", "", "")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(templateRefs(list, "library"), []string{"community/web"}))
}
