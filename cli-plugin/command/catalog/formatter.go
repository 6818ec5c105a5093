package catalog

import (
	"strconv"
	"strings"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultTableFormat = "table {{.Name}}\t{{.URL}}\t{{.Branch}}\t{{.Env}}\t{{.Templates}}\t{{.Commit}}\t{{.Refreshed}}\t{{.Error}}"

	urlHeader       = "URL"
	branchHeader    = "BRANCH"
	envHeader       = "ENV"
	templatesHeader = "TEMPLATES"
	commitHeader    = "COMMIT"
	refreshedHeader = "REFRESHED"
	problemsHeader  = "PROBLEMS"

	// errorWidth keeps a long Git error from pushing the table off the screen.
	errorWidth = 40
)

// NewFormat returns the format for `catalog ls`: table, json, or a Go template.
func NewFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes catalogs in the context's format; commits and errors are cut short
// when the context truncates.
func FormatWrite(ctx formatter.Context, catalogs []api.Catalog) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, c := range catalogs {
			if err := format(&catalogContext{c: c, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := catalogContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":      formatter.NameHeader,
		"URL":       urlHeader,
		"Branch":    branchHeader,
		"Env":       envHeader,
		"Templates": templatesHeader,
		"Commit":    commitHeader,
		"Refreshed": refreshedHeader,
		"Error":     formatter.ErrorHeader,
		"Problems":  problemsHeader,
	}
	return ctx.Write(&c, render)
}

type catalogContext struct {
	formatter.HeaderContext
	c     api.Catalog
	trunc bool
}

func (c *catalogContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *catalogContext) Name() string { return c.c.Name }

// URL is "embedded" for the Library.
func (c *catalogContext) URL() string { return c.c.URL }

// Branch is "-" where the repository's default branch is read.
func (c *catalogContext) Branch() string { return listing.OrDash(c.c.Branch) }

// Env is "global" for a catalog every environment sees.
func (c *catalogContext) Env() string {
	if c.c.Env == "" {
		return "global"
	}
	return c.c.Env
}

func (c *catalogContext) Templates() string { return strconv.Itoa(c.c.Templates) }

func (c *catalogContext) Commit() string {
	if c.trunc {
		return command.ShortCommit(c.c.Commit)
	}
	return listing.OrDash(c.c.Commit)
}

func (c *catalogContext) Refreshed() string {
	if c.c.RefreshedAt.IsZero() {
		return "never"
	}
	return units.HumanDuration(time.Since(c.c.RefreshedAt)) + " ago"
}

// Error is the last refresh's failure, on one line and cut short in tables.
func (c *catalogContext) Error() string {
	if c.c.Error == "" {
		return "-"
	}
	if !c.trunc {
		return c.c.Error
	}
	line, _, _ := strings.Cut(c.c.Error, "\n")
	return formatter.Ellipsis(line, errorWidth)
}

// Problems is how many templates could not be read; `catalog refresh` lists them.
func (c *catalogContext) Problems() string { return strconv.Itoa(len(c.c.Problems)) }
