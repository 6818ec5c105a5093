package catalogs

import (
	"sort"
	"strconv"
	"strings"

	"github.com/exos-platform/exos/catalog"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// Templates lists templates, without their versions' questions and READMEs, sorted by
// catalog then name. Empty filters match everything; env keeps the global catalogs and
// that environment's own; category matches regardless of case.
func (s *Service) Templates(catalogName, category, env string) ([]api.Template, error) {
	if catalogName != "" && s.entry(catalogName) == nil {
		return nil, notFound(catalogName)
	}
	if env != "" && s.store.EnvironmentByName(nil, env) == nil {
		return nil, api.Errorf(api.ErrNotFound, "environment %q does not exist (see `docker exos env ls`)", env)
	}
	out := []api.Template{}
	for _, e := range s.snapshot() {
		if e.index == nil || (catalogName != "" && e.doc.Name != catalogName) || (env != "" && e.doc.Env != "" && e.doc.Env != env) {
			continue
		}
		for _, t := range e.index.Templates {
			if category == "" || strings.EqualFold(t.Category, category) {
				out = append(out, template(e.doc.Name, t, false))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Catalog != out[j].Catalog {
			return out[i].Catalog < out[j].Catalog
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Template returns one template with every version's questions, README and unsupported
// features.
func (s *Service) Template(catalogName, name string) (api.Template, error) {
	src, err := s.Lookup(catalogName, name)
	if err != nil {
		return api.Template{}, err
	}
	return template(catalogName, *src.Template, true), nil
}

// Source is a template as a deploy needs it: with its catalog's scope and commit.
type Source struct {
	Catalog  string
	Env      string // "" for a global catalog
	Commit   string // of the catalog's last good fetch; "embedded" for the Library
	Template *catalog.Template
}

// Lookup returns a template of a catalog's last good fetch.
func (s *Service) Lookup(catalogName, name string) (Source, error) {
	e := s.entry(catalogName)
	if e == nil {
		return Source{}, notFound(catalogName)
	}
	if e.index == nil {
		return Source{}, api.Errorf(api.ErrNotFound, "catalog %q has not been fetched yet: %s", catalogName, orNone(e.err))
	}
	t := e.index.Template(name)
	if t == nil {
		return Source{}, api.Errorf(api.ErrNotFound, "catalog %q has no template %q (`docker exos catalog refresh %s` lists the templates that could not be read)", catalogName, name, catalogName)
	}
	return Source{Catalog: catalogName, Env: e.doc.Env, Commit: e.commit, Template: t}, nil
}

func orNone(err string) string {
	if err == "" {
		return "no fetch has finished"
	}
	return err
}

// template converts a template; full adds the questions and READMEs that lists leave out.
func template(catalogName string, t catalog.Template, full bool) api.Template {
	out := api.Template{Catalog: catalogName, Name: t.Name, Title: t.Title, Description: t.Description,
		Category: t.Category, Maintainer: t.Maintainer, License: t.License, ProjectURL: t.ProjectURL,
		DefaultVersion: t.DefaultVersion, Deployable: len(t.Unsupported) == 0, Versions: []api.TemplateVersion{}}
	for _, v := range t.Versions {
		out.Versions = append(out.Versions, version(v, full))
	}
	return out
}

func version(v catalog.Version, full bool) api.TemplateVersion {
	// Folders are numbered (Rancher's layout); Version still tells any other folder apart.
	number, _ := strconv.Atoi(v.Number)
	out := api.TemplateVersion{Number: number, Version: v.Version, Name: v.Name, Description: v.Description,
		UpgradeFrom: v.UpgradeFrom, Unsupported: problems(v.Unsupported)}
	if full {
		out.README, out.Questions = v.README, []api.Question{}
		for _, q := range v.Questions {
			out.Questions = append(out.Questions, question(q))
		}
	}
	return out
}

func question(q catalog.Question) api.Question {
	return api.Question{Variable: q.Variable, Label: q.Label, Description: q.Description, Type: q.Type,
		Required: q.Required, Default: q.Default, Min: q.Min, Max: q.Max, MinLength: q.MinLength,
		MaxLength: q.MaxLength, ValidChars: q.ValidChars, InvalidChars: q.InvalidChars, Options: q.Options}
}

func problems(ps []composeext.Problem) []api.Problem {
	var out []api.Problem
	for _, p := range ps {
		out = append(out, api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message})
	}
	return out
}
