package catalog

import (
	composeext "github.com/exos-platform/exos/compose-ext"
)

// Catalog is the index of one catalog snapshot. Templates holds the healthy templates,
// sorted by name; Problems what is broken, template by template.
type Catalog struct {
	Templates []Template
	Problems  []TemplateProblem
}

// Template is one application template.
type Template struct {
	// Name is the name users type: the folder's name under templates/, or "swarm-" and
	// the folder's name under swarm-templates/ (as Rancher named those).
	Name        string
	Dir         string // the template's folder in the catalog: templates/<name>...
	Title       string // config.yml name
	Description string
	Category    string
	Maintainer  string
	License     string
	ProjectURL  string
	// DefaultVersion is config.yml's version, or the newest version when it has none.
	DefaultVersion string
	// Icon is the path of the catalogIcon-* file in the catalog FS, "" when there is none.
	Icon string
	// Versions are sorted oldest first (by semver, folder number when not semver).
	Versions []Version
	// Reasons are the default version's: why it does not deploy. Non-empty means the
	// template must be shown as not deployable.
	Reasons []composeext.Problem
}

// Version is one version folder of a template.
type Version struct {
	Number      string // folder name: "0", "1"...
	Version     string // .catalog version, the folder name when the block has none
	Name        string
	Description string
	UpgradeFrom string // semver range of the versions that may upgrade to this one
	Questions   []Question
	README      string
	// Compose is docker-compose.yml, or docker-compose.yml.tpl when Template is true.
	Compose  composeext.File
	Template bool
	// Exos is exos-compose.yml (or rancher-compose.yml), nil when the folder has none.
	Exos *composeext.File
	// Rancher is true for a version written for Rancher (a rancher-compose.yml, or no
	// exos-compose.yml): its .tpl sees every answer as a string, as Rancher's did.
	Rancher bool
	// judge holds the version's verdict (see Verdict); shared by copies of the version.
	judge *judgement
}

// TemplateProblem is why a template, or one version of it, could not be indexed.
type TemplateProblem struct {
	Template string
	Version  string // version folder, "" when the whole template is broken
	composeext.Problem
}

// String renders the problem as "template[/version]: file:line: key: message".
func (p TemplateProblem) String() string {
	name := p.Template
	if p.Version != "" {
		name += "/" + p.Version
	}
	return name + ": " + p.Problem.String()
}

// Template returns the template called name, or nil.
func (c *Catalog) Template(name string) *Template {
	for i := range c.Templates {
		if c.Templates[i].Name == name {
			return &c.Templates[i]
		}
	}
	return nil
}

// Version returns the version whose .catalog version or folder number is v, or nil.
// An empty v means the default version.
func (t *Template) Version(v string) *Version {
	if v == "" {
		v = t.DefaultVersion
	}
	for i := range t.Versions {
		if t.Versions[i].Version == v {
			return &t.Versions[i]
		}
	}
	for i := range t.Versions {
		if t.Versions[i].Number == v {
			return &t.Versions[i]
		}
	}
	return nil
}

// Deployable reports whether the version deploys with its default answers.
func (v *Version) Deployable() bool { return len(v.Verdict().Reasons) == 0 }

// Deployable reports whether the template's default version deploys.
func (t *Template) Deployable() bool { return len(t.Reasons) == 0 }
