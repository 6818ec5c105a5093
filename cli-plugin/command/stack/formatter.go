package stack

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultStackTableFormat = "table {{.Name}}\t{{.Services}}\t{{.Env}}\t{{.Revision}}\t{{.State}}\t{{.Drift}}\t{{.Updated}}\t{{.Template}}\t{{.Upgrade}}"

	servicesHeader = "SERVICES"
	envHeader      = "ENV"
	revisionHeader = "REVISION"
	updatedHeader  = "UPDATED"
	templateHeader = "TEMPLATE"
	upgradeHeader  = "UPGRADE"
	stateHeader    = "STATE"
	driftHeader    = "DRIFT"
)

// newStackFormat returns the format for `stack ls`: table, json, or a Go template.
func newStackFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultStackTableFormat
	}
	return formatter.Format(source)
}

// StackWrite writes stacks in the context's format.
func StackWrite(ctx formatter.Context, stacks []api.Stack) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, s := range stacks {
			if err := format(&stackContext{s: s}); err != nil {
				return err
			}
		}
		return nil
	}
	c := stackContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":     formatter.NameHeader,
		"Services": servicesHeader,
		"Env":      envHeader,
		"Revision": revisionHeader,
		"Updated":  updatedHeader,
		"Template": templateHeader,
		"Upgrade":  upgradeHeader,
		"State":    stateHeader,
		"Drift":    driftHeader,
	}
	return ctx.Write(&c, render)
}

type stackContext struct {
	formatter.HeaderContext
	s api.Stack
}

func (c *stackContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *stackContext) Name() string { return c.s.Name }

func (c *stackContext) Services() string { return strconv.Itoa(c.s.Services) }

func (c *stackContext) Env() string { return orDash(c.s.Env) }

// Revision is "-" for stacks deployed without EXOS.
func (c *stackContext) Revision() string {
	if c.s.Revision == 0 {
		return "-"
	}
	return strconv.Itoa(c.s.Revision)
}

func (c *stackContext) Updated() string { return ago(c.s.UpdatedAt) }

// Template is CATALOG/NAME:VERSION, empty for a stack deployed from compose files.
func (c *stackContext) Template() string {
	if c.s.Template == nil {
		return ""
	}
	return c.s.Template.Ref()
}

// Upgrade is the version `stack upgrade` would go to, empty when there is none.
func (c *stackContext) Upgrade() string { return c.s.UpgradeTo }

// State is the latest revision's state, "removed" for a stack whose services are gone,
// "-" for a stack deployed natively.
func (c *stackContext) State() string { return orDash(c.s.State) }

// Drift counts the services that differ from the current revision, by kind:
// "1 updated, 1 removed"; "-" for none. `stack inspect` names them and their fields.
func (c *stackContext) Drift() string {
	counts := map[string]int{}
	var kinds []string
	for _, d := range c.s.Drift {
		if counts[d.Kind] == 0 {
			kinds = append(kinds, d.Kind)
		}
		counts[d.Kind]++
	}
	sort.Strings(kinds)
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	return orDash(strings.Join(parts, ", "))
}

// ago is "2 minutes ago", or "-" for a time the manager does not know.
func ago(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return units.HumanDuration(time.Since(t)) + " ago"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
