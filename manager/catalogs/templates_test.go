package catalogs

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// templateRefs returns CATALOG/NAME of each template, leaving out catalog skip.
func templateRefs(list []api.Template, skip string) []string {
	out := []string{}
	for _, t := range list {
		if t.Catalog != skip {
			out = append(out, t.Catalog+"/"+t.Name)
		}
	}
	return out
}

func TestTemplatesFilters(t *testing.T) {
	global, qa, prod := catalogtest.NewRepo(t), catalogtest.NewRepo(t), catalogtest.NewRepo(t)
	addTemplate(t, global, "web", "Web", 0, "1.0.0", false)
	addTemplate(t, global, "db", "Databases", 0, "1.0.0", false)
	addTemplate(t, qa, "qa-tool", "Web", 0, "1.0.0", false)
	addTemplate(t, prod, "prod-tool", "Web", 0, "1.0.0", false)
	s := newTestService(t, newObjects())
	for _, c := range []struct{ name, env string }{{"all", ""}, {"qa-only", "qa"}, {"prod-only", "prod"}} {
		repo := map[string]*catalogtest.Repo{"all": global, "qa-only": qa, "prod-only": prod}[c.name]
		repo.Commit(t, "first")
		_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: c.name, URL: repo.Dir, Env: c.env}, "alice", "10.0.0.9:41000")
		assert.NilError(t, err)
	}

	tests := []struct {
		name, catalog, category, env string
		want                         []string
	}{
		{name: "everything", want: []string{"all/db", "all/web", "prod-only/prod-tool", "qa-only/qa-tool"}},
		{name: "env qa", env: "qa", want: []string{"all/db", "all/web", "qa-only/qa-tool"}},
		{name: "env prod, category web", env: "prod", category: "web", want: []string{"all/web", "prod-only/prod-tool"}},
		{name: "one catalog", catalog: "qa-only", want: []string{"qa-only/qa-tool"}},
		{name: "another env's catalog", catalog: "qa-only", env: "prod", want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := s.Templates(tc.catalog, tc.category, tc.env)
			assert.NilError(t, err)
			assert.Check(t, is.DeepEqual(templateRefs(list, api.CatalogLibrary), tc.want))
		})
	}

	_, err := s.Templates("nope", "", "")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	_, err = s.Templates("", "", "dev")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	lib, err := s.Templates(api.CatalogLibrary, "", "qa")
	assert.NilError(t, err)
	assert.Check(t, len(lib) >= 8, "the Library is global")
}

func TestTemplatesListsAndInspect(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	addTemplate(t, repo, "web", "Web", 1, "1.1.0", false)
	addTemplate(t, repo, "lb", "Web", 0, "0.9.0", true)
	repo.Write(t, "templates/broken/config.yml", "name: [broken\n")
	repo.Commit(t, "first")
	s := newTestService(t, newObjects())
	cat, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cat.Templates, 2))
	assert.Assert(t, is.Len(cat.Problems, 1))
	assert.Check(t, is.Equal(cat.Problems[0].File, "templates/broken/config.yml"))

	list, err := s.Templates("c", "", "")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(list, 2))
	lb, web := list[0], list[1]
	assert.Check(t, !lb.Deployable)
	assert.Check(t, is.Len(lb.Versions[0].Reasons, 1))
	assert.Check(t, web.Deployable)
	assert.Check(t, is.Equal(web.DefaultVersion, "1.1.0"))
	assert.Assert(t, is.Len(web.Versions, 2))
	assert.Check(t, is.Len(web.Versions[1].Questions, 0), "lists leave questions out")
	assert.Check(t, web.Versions[0].Deployable == nil, "lists judge only the default version")
	assert.Check(t, web.Versions[1].Deployable != nil && *web.Versions[1].Deployable)
	assert.Check(t, is.Equal(web.Versions[1].README, ""), "lists leave READMEs out")

	full, err := s.Template("c", "web")
	assert.NilError(t, err)
	v := full.Versions[1]
	assert.Check(t, full.Versions[0].Deployable != nil && *full.Versions[0].Deployable, "inspect judges every version")
	assert.Check(t, is.Equal(v.Number, 1))
	assert.Check(t, is.Equal(v.README, "# web 1.1.0\n"))
	assert.Check(t, is.DeepEqual(v.Questions, []api.Question{{Variable: "port", Type: "int", Default: "80"}}))
	inspectLB, err := s.Template("c", "lb")
	assert.NilError(t, err)
	p := inspectLB.Versions[0].Reasons[0]
	assert.Check(t, is.Equal(p.File, "templates/lb/0/docker-compose.yml"))
	assert.Check(t, is.Equal(p.Line, 5))
	assert.Check(t, is.Contains(p.Key, "io.rancher.sidekicks"))

	_, err = s.Template("c", "broken")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	_, err = s.Template("nope", "web")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}
