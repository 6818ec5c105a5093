package template

import (
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultTableFormat = "table {{.Name}}\t{{.Version}}\t{{.Category}}\t{{.Deployable}}\t{{.Reasons}}\t{{.Description}}"

	versionHeader    = "VERSION"
	categoryHeader   = "CATEGORY"
	deployableHeader = "DEPLOYABLE"
	reasonsHeader    = "REASONS"
	titleHeader      = "TITLE"

	// descriptionWidth and reasonWidth keep a row on one line of a wide terminal.
	descriptionWidth = 40
	reasonWidth      = 40
)

// NewFormat returns the format for `template ls`: table, json, or a Go template.
func NewFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes templates in the context's format; descriptions and reasons are cut
// short when the context truncates (a table; never JSON, see runList).
func FormatWrite(ctx formatter.Context, templates []api.Template) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, t := range templates {
			if err := format(&templateContext{t: t, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := templateContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":        formatter.NameHeader,
		"Version":     versionHeader,
		"Category":    categoryHeader,
		"Deployable":  deployableHeader,
		"Reasons":     reasonsHeader,
		"Description": formatter.DescriptionHeader,
		"Title":       titleHeader,
	}
	return ctx.Write(&c, render)
}

type templateContext struct {
	formatter.HeaderContext
	t     api.Template
	trunc bool
}

func (c *templateContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

// Name is CATALOG/NAME, what `template inspect` and deploys take.
func (c *templateContext) Name() string { return c.t.Catalog + "/" + c.t.Name }

// Version is the default version, deployed when none is named.
func (c *templateContext) Version() string { return c.t.DefaultVersion }

func (c *templateContext) Category() string { return c.t.Category }

func (c *templateContext) Title() string { return c.t.Title }

// Deployable is whether the default version deploys: "yes" or "no" in a table, a boolean
// in JSON and to {{if .Deployable}}.
func (c *templateContext) Deployable() yesNo { return yesNo(c.t.Deployable) }

// Reasons are why the default version does not deploy: in a table the first one, cut,
// and how many more; in JSON every one, in full.
func (c *templateContext) Reasons() reasons {
	r := reasons{list: c.t.Reasons}
	if c.trunc {
		r.width = reasonWidth
	}
	return r
}

func (c *templateContext) Description() string { return c.cut(c.t.Description, descriptionWidth) }

// cut keeps the first line of s and, when the context truncates, width characters of it.
func (c *templateContext) cut(s string, width int) string {
	if !c.trunc {
		return s
	}
	return cutLine(s, width)
}

// cutLine is the first line of s, at most width characters long.
func cutLine(s string, width int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return formatter.Ellipsis(line, width)
}
