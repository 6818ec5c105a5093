package stack

import (
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultContainerTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}"

	nodeHeader         = "NODE"
	desiredStateHeader = "DESIRED STATE"
	currentStateHeader = "CURRENT STATE"
	// maxErrLength is where `docker stack ps` cuts errors too.
	maxErrLength = 30
)

// newContainerFormat returns the format for `stack containers`.
func newContainerFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return formatter.DefaultQuietFormat
		}
		return defaultContainerTableFormat
	}
	return formatter.Format(source)
}

// ContainerWrite writes a stack's tasks in the context's format.
func ContainerWrite(ctx formatter.Context, containers []api.Container) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, c := range containers {
			if err := format(&containerContext{c: c, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := containerContext{}
	c.Header = formatter.SubHeaderContext{
		"ID":           "ID",
		"Name":         formatter.NameHeader,
		"Image":        formatter.ImageHeader,
		"Node":         nodeHeader,
		"DesiredState": desiredStateHeader,
		"CurrentState": currentStateHeader,
		"Error":        formatter.ErrorHeader,
		"Ports":        formatter.PortsHeader,
		"Service":      "SERVICE",
		"Health":       "HEALTH",
	}
	return ctx.Write(&c, render)
}

type containerContext struct {
	formatter.HeaderContext
	c     api.Container
	trunc bool
}

func (c *containerContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *containerContext) ID() string {
	if c.trunc {
		return formatter.TruncateID(c.c.ID)
	}
	return c.c.ID
}

func (c *containerContext) Name() string { return c.c.Name }

func (c *containerContext) Service() string { return c.c.Service }

func (c *containerContext) Image() string { return c.c.Image }

func (c *containerContext) Node() string { return c.c.Node }

func (c *containerContext) DesiredState() string { return capitalize(c.c.DesiredState) }

func (c *containerContext) Health() string { return c.c.Health }

// CurrentState is "Running (healthy) 2 minutes ago": the state, the container's health
// when it has a healthcheck, and how long it has been so.
func (c *containerContext) CurrentState() string {
	s := capitalize(c.c.State)
	if c.c.Health != "" {
		s += " (" + c.c.Health + ")"
	}
	if !c.c.UpdatedAt.IsZero() {
		s += " " + ago(c.c.UpdatedAt)
	}
	return s
}

// Error is quoted and cut short in tables, as `docker stack ps` does.
func (c *containerContext) Error() string {
	if c.c.Error == "" || !c.trunc {
		return c.c.Error
	}
	return `"` + formatter.Ellipsis(c.c.Error, maxErrLength) + `"`
}

func (c *containerContext) Ports() string { return strings.Join(c.c.Ports, ", ") }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
