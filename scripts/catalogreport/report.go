package main

import (
	"regexp"
	"sort"
	"strings"

	"github.com/exos-platform/exos/catalog"
	composeext "github.com/exos-platform/exos/compose-ext"
)

// report is what a catalog gave, by template folder.
type report struct {
	folders    []*folder
	readErrors []catalog.TemplateProblem
	groups     map[string]*group // refusal reasons by feature
	deployable []string
}

// folder counts the templates of templates/ or swarm-templates/.
type folder struct {
	name                            string
	deployable, refused, unreadable int
}

// group is one feature and the templates it refused; alone counts those it is the only
// feature refusing (they would deploy without it).
type group struct {
	feature   string
	templates map[string]bool
	alone     int
	example   struct {
		template string
		problem  composeext.Problem
	}
}

func summarize(c *catalog.Catalog) report {
	r := report{groups: map[string]*group{}, readErrors: c.Problems}
	for _, t := range c.Templates {
		f := r.folder(t.Dir)
		if t.Deployable() {
			f.deployable++
			r.deployable = append(r.deployable, t.Name)
			continue
		}
		f.refused++
		features := map[string]bool{}
		for _, p := range t.Reasons {
			features[r.add(t.Name, p)] = true
		}
		if len(features) == 1 {
			for feature := range features {
				r.groups[feature].alone++
			}
		}
	}
	unreadable := map[string]bool{}
	for _, p := range c.Problems {
		if c.Template(p.Template) == nil && p.Template != "" && !unreadable[p.Template] {
			unreadable[p.Template] = true
			r.folder(p.File).unreadable++
		}
	}
	return r
}

// folder returns the counts of the folder a path is in, made on first use in the
// catalog's order (templates/ first).
func (r *report) folder(path string) *folder {
	name, _, _ := strings.Cut(path, "/")
	for _, f := range r.folders {
		if f.name == name {
			return f
		}
	}
	f := &folder{name: name}
	r.folders = append(r.folders, f)
	// templates/ first, as the catalog reads it
	sort.SliceStable(r.folders, func(i, j int) bool { return r.folders[i].name > r.folders[j].name })
	return f
}

// add counts a reason under its feature, and returns the feature.
func (r *report) add(template string, p composeext.Problem) string {
	feature := featureOf(p)
	g := r.groups[feature]
	if g == nil {
		g = &group{feature: feature, templates: map[string]bool{}}
		g.example.template, g.example.problem = template, p
		r.groups[feature] = g
	}
	// A refusal makes the better example: compose-ext lists the translations of a key it
	// refuses beside the refusal.
	if !refusal(g.example.problem) && refusal(p) {
		g.example.template, g.example.problem = template, p
	}
	g.templates[template] = true
	return feature
}

var (
	serviceKey = regexp.MustCompile(`^services\.[^.]+\.`)
	index      = regexp.MustCompile(`\[\d+\]`)
)

// featureOf names what a reason is about: its key without the service's name and list
// positions ("labels.io.rancher.sidekicks", "volumes_from"), rendering for a .tpl's
// error, else the start of its message.
func featureOf(p composeext.Problem) string {
	switch {
	case p.Key != "":
		return index.ReplaceAllString(serviceKey.ReplaceAllString(p.Key, ""), "")
	case strings.HasSuffix(p.File, ".tpl"):
		return "rendering the .tpl with the default answers"
	}
	msg, _, _ := strings.Cut(p.Message, ":")
	return msg
}

func refusal(p composeext.Problem) bool {
	return strings.Contains(p.Message, "not supported") || strings.Contains(p.Message, "cannot")
}

// top returns the n features that refused the most templates.
func (r *report) top(n int) []*group {
	out := make([]*group, 0, len(r.groups))
	for _, g := range r.groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].templates) != len(out[j].templates) {
			return len(out[i].templates) > len(out[j].templates)
		}
		return out[i].feature < out[j].feature
	})
	return out[:min(n, len(out))]
}

// wrap joins names in lines of at most width characters, indented.
func wrap(names []string, width int) string {
	var b, line strings.Builder
	for _, n := range names {
		if line.Len() > 0 && line.Len()+len(n)+2 > width {
			b.WriteString("  " + line.String() + "\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteString(", ")
		}
		line.WriteString(n)
	}
	b.WriteString("  " + line.String())
	return b.String()
}
