package catalog

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// templateFolders are where a catalog keeps its templates, with the prefix of their names:
// Rancher's Cattle templates, and its Swarm templates, which Rancher listed as
// "swarm-<folder>".
var templateFolders = []struct{ dir, prefix string }{{"templates", ""}, {"swarm-templates", "swarm-"}}

// config is a template's config.yml.
type config struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Version     string `yaml:"version"`
	Category    string `yaml:"category"`
	Maintainer  string `yaml:"maintainer"`
	License     string `yaml:"license"`
	ProjectURL  string `yaml:"projectURL"`
}

// Index reads every template of a catalog and judges the default versions (see Check;
// the others are judged when first asked, see Version.Verdict). It never
// fails as a whole: a broken template, or a broken version of a template, is reported in
// Problems and left out, and the rest is indexed.
func Index(fsys fs.FS) *Catalog {
	c := &Catalog{Templates: []Template{}}
	found := false
	for _, folder := range templateFolders {
		entries, err := fs.ReadDir(fsys, folder.dir)
		found = found || err == nil
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			t, problems := indexTemplate(fsys, path.Join(folder.dir, e.Name()), folder.prefix+e.Name())
			if t != nil && c.Template(t.Name) != nil {
				t, problems = nil, append(problems, TemplateProblem{Template: t.Name, Problem: composeext.Problem{File: t.Dir,
					Message: "another template is called " + t.Name + " (" + c.Template(t.Name).Dir + "): rename one of the folders"}})
			}
			c.Problems = append(c.Problems, problems...)
			if t != nil {
				c.Templates = append(c.Templates, *t)
			}
		}
	}
	if !found {
		c.Problems = append(c.Problems, TemplateProblem{Problem: composeext.Problem{
			File: templateFolders[0].dir, Message: "the catalog has no templates folder"}})
	}
	sort.SliceStable(c.Templates, func(i, j int) bool { return c.Templates[i].Name < c.Templates[j].Name })
	judgeDefaults(c.Templates)
	return c
}

// indexTemplate reads the template in dir; nil when it has no usable version.
func indexTemplate(fsys fs.FS, dir, name string) (*Template, []TemplateProblem) {
	var problems []TemplateProblem
	fail := func(version string, p composeext.Problem) {
		problems = append(problems, TemplateProblem{Template: name, Version: version, Problem: p})
	}
	cfgFile := path.Join(dir, "config.yml")
	var cfg config
	if data, err := fs.ReadFile(fsys, cfgFile); err != nil {
		fail("", composeext.Problem{File: cfgFile, Message: "missing config.yml"})
		return nil, problems
	} else if err := decodeLastWins(data, &cfg); err != nil {
		fail("", yamlProblem(cfgFile, err))
		return nil, problems
	}
	t := &Template{Name: name, Dir: dir, Title: cfg.Name, Description: cfg.Description, Category: cfg.Category,
		Maintainer: cfg.Maintainer, License: cfg.License, ProjectURL: cfg.ProjectURL}
	entries, _ := fs.ReadDir(fsys, dir) // dir was just listed
	for _, e := range entries {
		switch {
		case !e.IsDir() && strings.HasPrefix(e.Name(), "catalogIcon-"):
			t.Icon = path.Join(dir, e.Name())
		case e.IsDir() && !strings.HasPrefix(e.Name(), "."):
			v, vps := indexVersion(fsys, path.Join(dir, e.Name()), cfg)
			for _, p := range vps {
				fail(e.Name(), p)
			}
			if v != nil {
				t.Versions = append(t.Versions, *v)
			}
		}
	}
	if len(t.Versions) == 0 {
		if len(problems) == 0 {
			fail("", composeext.Problem{File: dir, Message: "no version folder (templates/<name>/0/docker-compose.yml)"})
		}
		return nil, problems
	}
	sortVersions(t.Versions)
	t.DefaultVersion = t.Versions[len(t.Versions)-1].Version
	if cfg.Version != "" {
		if t.Version(cfg.Version) == nil {
			fail("", composeext.Problem{File: cfgFile, Key: "version",
				Message: "no version " + strconv.Quote(cfg.Version) + "; the newest, " + t.DefaultVersion + ", is the default"})
		} else {
			t.DefaultVersion = t.Version(cfg.Version).Version
		}
	}
	return t, problems
}

// sortVersions orders by semver, then by folder number, then by folder name.
func sortVersions(vs []Version) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if c, ok := compareSemver(a.Version, b.Version); ok && c != 0 {
			return c < 0
		}
		na, errA := strconv.Atoi(a.Number)
		nb, errB := strconv.Atoi(b.Number)
		if errA == nil && errB == nil {
			return na < nb
		}
		return a.Number < b.Number
	})
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlProblem turns a YAML error into a problem with its line.
func yamlProblem(file string, err error) composeext.Problem {
	p := composeext.Problem{File: file, Message: yamlError(err)}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = strings.TrimPrefix(p.Message, m[0]+": ")
	}
	return p
}
