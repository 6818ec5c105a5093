package stack

import (
	"sort"
	"strconv"
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultHistoryTableFormat = "table {{.Revision}}\t{{.State}}\t{{.Created}}\t{{.Author}}\t{{.Env}}\t{{.Images}}\t{{.RollbackOf}}\t{{.Template}}\t{{truncate .Reason 60}}"

	authorHeader     = "AUTHOR"
	imagesHeader     = "IMAGES"
	rollbackOfHeader = "ROLLBACK-OF"
	reasonHeader     = "REASON"

	// Titles `stack services` shares; `stack ls` has its own in package listing.
	envHeader      = "ENV"
	revisionHeader = "REVISION"
	templateHeader = "TEMPLATE"
	stateHeader    = "STATE"
)

// newHistoryFormat returns the format for `stack history`.
func newHistoryFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Revision}}"
		}
		return defaultHistoryTableFormat
	}
	return formatter.Format(source)
}

// HistoryWrite writes revisions in the context's format.
func HistoryWrite(ctx formatter.Context, revs []api.Revision) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, r := range revs {
			if err := format(&revisionContext{r: r}); err != nil {
				return err
			}
		}
		return nil
	}
	c := revisionContext{}
	c.Header = formatter.SubHeaderContext{
		"Revision":   revisionHeader,
		"Created":    formatter.CreatedSinceHeader,
		"Author":     authorHeader,
		"Env":        envHeader,
		"Images":     imagesHeader,
		"RollbackOf": rollbackOfHeader,
		"Template":   templateHeader,
		"State":      stateHeader,
		"Reason":     reasonHeader,
	}
	return ctx.Write(&c, render)
}

type revisionContext struct {
	formatter.HeaderContext
	r api.Revision
}

func (c *revisionContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *revisionContext) Revision() string { return strconv.Itoa(c.r.Number) }

func (c *revisionContext) Created() string { return listing.Ago(c.r.CreatedAt) }

func (c *revisionContext) Author() string { return listing.OrDash(c.r.Author) }

func (c *revisionContext) Env() string { return listing.OrDash(c.r.Env) }

// State is pending, applied, failed or superseded.
func (c *revisionContext) State() string { return listing.OrDash(c.r.State) }

// Reason says why a revision failed, in full ("" when it did not); the default table
// cuts it to its width.
func (c *revisionContext) Reason() string { return c.r.Reason }

// Images is "service=image" per service, sorted by service.
func (c *revisionContext) Images() string {
	names := make([]string, 0, len(c.r.Images))
	for name := range c.r.Images {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+"="+c.r.Images[name])
	}
	return strings.Join(parts, ", ")
}

// RollbackOf is the revision a rollback redeployed, "-" for ordinary deploys.
func (c *revisionContext) RollbackOf() string {
	if c.r.RollbackOf == 0 {
		return "-"
	}
	return strconv.Itoa(c.r.RollbackOf)
}

// Template is the catalog template the revision deployed, with the catalog commit it was
// read from ("-" for compose files).
func (c *revisionContext) Template() string {
	t := c.r.Template
	if t == nil {
		return "-"
	}
	return t.Ref() + " @" + command.ShortCommit(t.Commit)
}
