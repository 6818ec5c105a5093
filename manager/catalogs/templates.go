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
	// Entries by name, each list already sorted by template name (Index sorts them): the
	// result is in order without sorting it, which moving a few hundred of these structs
	// around would cost more than the rest of the call.
	entries := s.snapshot()
	sort.Slice(entries, func(i, j int) bool { return entries[i].doc.Name < entries[j].doc.Name })
	n := 0
	for _, e := range entries {
		n += len(e.list)
	}
	out := make([]api.Template, 0, n)
	for _, e := range entries {
		if e.index == nil || (catalogName != "" && e.doc.Name != catalogName) || (env != "" && e.doc.Env != "" && e.doc.Env != env) {
			continue
		}
		for _, t := range e.list {
			if category == "" || strings.EqualFold(t.Category, category) {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// setIndex stores a fetch's index and the list form of its templates: an index never
// changes once stored, so `template ls` copies the list rather than converting every
// version's reasons on each call (a community catalog has hundreds of versions). The
// list's slices are shared: read-only, as everything out of an entry is.
func (e *entry) setIndex(c *catalog.Catalog) {
	e.index, e.list = c, make([]api.Template, 0, len(c.Templates))
	for _, t := range c.Templates {
		e.list = append(e.list, template(e.doc.Name, t, false))
	}
}

// Template returns one template with every version's questions, README, reasons and
// warnings.
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

// template converts a template; full adds the questions, READMEs and warnings that lists
// leave out, and every version's verdict (lists judge only the default version's).
func template(catalogName string, t catalog.Template, full bool) api.Template {
	if full {
		t.Judge()
	}
	out := api.Template{Catalog: catalogName, Name: t.Name, Title: t.Title, Description: t.Description,
		Category: t.Category, Maintainer: t.Maintainer, License: t.License, ProjectURL: t.ProjectURL,
		DefaultVersion: t.DefaultVersion, Deployable: t.Deployable(), Reasons: problems(t.Reasons),
		Versions: []api.TemplateVersion{}}
	for _, v := range t.Versions {
		out.Versions = append(out.Versions, version(v, full, v.Version == t.DefaultVersion))
	}
	return out
}

func version(v catalog.Version, full, isDefault bool) api.TemplateVersion {
	// Folders are numbered (Rancher's layout); Version still tells any other folder apart.
	number, _ := strconv.Atoi(v.Number)
	out := api.TemplateVersion{Number: number, Version: v.Version, Name: v.Name, Description: v.Description,
		UpgradeFrom: v.UpgradeFrom}
	if full || isDefault {
		verdict := v.Verdict()
		deployable := len(verdict.Reasons) == 0
		out.Deployable, out.Reasons = &deployable, problems(verdict.Reasons)
		if full {
			out.Warnings = problems(verdict.Warnings)
		}
	}
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
