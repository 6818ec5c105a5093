package server

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeCatalogs answers with what its function fields say and records the last call.
type fakeCatalogs struct {
	addFunc      func(req api.CatalogAddRequest) (api.Catalog, error)
	refreshFunc  func(name string) ([]api.Catalog, error)
	removeFunc   func(name string) error
	templateFunc func(catalog, name string) (api.Template, error)
	gotFilters   [3]string
}

func (f *fakeCatalogs) Add(_ context.Context, req api.CatalogAddRequest, _, _ string) (api.Catalog, error) {
	return f.addFunc(req)
}

func (f *fakeCatalogs) List() []api.Catalog { return []api.Catalog{{Name: api.CatalogLibrary}} }

func (f *fakeCatalogs) Refresh(_ context.Context, name, _ string) ([]api.Catalog, error) {
	return f.refreshFunc(name)
}

func (f *fakeCatalogs) Remove(_ context.Context, name string) error { return f.removeFunc(name) }

func (f *fakeCatalogs) Templates(catalog, category, env string) ([]api.Template, error) {
	f.gotFilters = [3]string{catalog, category, env}
	return []api.Template{}, nil
}

func (f *fakeCatalogs) Template(catalog, name string) (api.Template, error) {
	return f.templateFunc(catalog, name)
}

func newCatalogServer(t *testing.T, cats *fakeCatalogs) *api.Client {
	t.Helper()
	tokens := adminToken(testToken)
	s := New(Config{Store: state.New(), Catalogs: cats, Authenticator: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return api.NewClient(ts.URL, testToken, nil)
}

func TestCatalogRoutes(t *testing.T) {
	cats := &fakeCatalogs{
		addFunc: func(req api.CatalogAddRequest) (api.Catalog, error) {
			if req.Name == api.CatalogLibrary {
				return api.Catalog{}, api.Errorf(api.ErrConflict, "built in")
			}
			return api.Catalog{Name: req.Name, URL: req.URL}, nil
		},
		refreshFunc: func(name string) ([]api.Catalog, error) {
			if name == "nope" {
				return nil, api.Errorf(api.ErrNotFound, "no catalog")
			}
			return []api.Catalog{{Name: "refreshed:" + name}}, nil
		},
		removeFunc: func(name string) error {
			if name == api.CatalogLibrary {
				return api.Errorf(api.ErrInvalid, "cannot be removed")
			}
			return nil
		},
		templateFunc: func(catalog, name string) (api.Template, error) {
			if name != "mysql" {
				return api.Template{}, api.Errorf(api.ErrNotFound, "no template")
			}
			return api.Template{Catalog: catalog, Name: name}, nil
		},
	}
	c := newCatalogServer(t, cats)
	ctx := context.Background()

	list, err := c.ListCatalogs(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.Len(list, 1))
	added, err := c.AddCatalog(ctx, api.CatalogAddRequest{Name: "community", URL: "https://example.com/c.git"})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(added.Name, "community"))
	_, err = c.AddCatalog(ctx, api.CatalogAddRequest{Name: api.CatalogLibrary, URL: "x"})
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))

	refreshed, err := c.RefreshCatalog(ctx, "community")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(refreshed, []api.Catalog{{Name: "refreshed:community"}}))
	refreshed, err = c.RefreshCatalog(ctx, "")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(refreshed, []api.Catalog{{Name: "refreshed:"}}))
	_, err = c.RefreshCatalog(ctx, "nope")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))

	assert.NilError(t, c.RemoveCatalog(ctx, "community"))
	assert.Check(t, is.ErrorIs(c.RemoveCatalog(ctx, api.CatalogLibrary), api.ErrInvalid))

	templates, err := c.ListTemplates(ctx, "library", "Databases", "qa")
	assert.NilError(t, err)
	assert.Check(t, is.Len(templates, 0))
	assert.Check(t, is.Equal(cats.gotFilters, [3]string{"library", "Databases", "qa"}))
	tpl, err := c.InspectTemplate(ctx, "library/mysql")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(tpl, api.Template{Catalog: "library", Name: "mysql"}))
	_, err = c.InspectTemplate(ctx, "library/nope")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}
