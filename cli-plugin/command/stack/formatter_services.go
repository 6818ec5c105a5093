package stack

import (
	"fmt"
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultServiceTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}"

	modeHeader     = "MODE"
	replicasHeader = "REPLICAS"
)

// newServiceFormat returns the format for `stack services`, as `docker service ls` has it.
func newServiceFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return formatter.DefaultQuietFormat
		}
		return defaultServiceTableFormat
	}
	return formatter.Format(source)
}

// ServiceWrite writes services in the context's format.
func ServiceWrite(ctx formatter.Context, services []api.Service) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, s := range services {
			if err := format(&serviceContext{s: s, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := serviceContext{}
	c.Header = formatter.SubHeaderContext{
		"ID":       "ID",
		"Name":     formatter.NameHeader,
		"Mode":     modeHeader,
		"Replicas": replicasHeader,
		"Image":    formatter.ImageHeader,
		"Ports":    formatter.PortsHeader,
		"Env":      envHeader,
		"Revision": revisionHeader,
	}
	return ctx.Write(&c, render)
}

type serviceContext struct {
	formatter.HeaderContext
	s     api.Service
	trunc bool
}

func (c *serviceContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *serviceContext) ID() string {
	if c.trunc {
		return formatter.TruncateID(c.s.ID)
	}
	return c.s.ID
}

func (c *serviceContext) Name() string { return c.s.Name }

func (c *serviceContext) Mode() string { return c.s.Mode }

// Replicas is running/desired.
func (c *serviceContext) Replicas() string { return fmt.Sprintf("%d/%d", c.s.Running, c.s.Desired) }

func (c *serviceContext) Image() string { return c.s.Image }

func (c *serviceContext) Ports() string { return strings.Join(c.s.Ports, ", ") }

func (c *serviceContext) Env() string { return listing.OrDash(c.s.Env) }

func (c *serviceContext) Revision() int { return c.s.Revision }
