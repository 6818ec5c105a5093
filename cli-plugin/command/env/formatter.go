package env

import (
	"strconv"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultTableFormat = "table {{.Name}}\t{{.Nodes}}\t{{.Stacks}}\t{{.Description}}"

	nodesHeader  = "NODES"
	stacksHeader = "STACKS"
)

// NewFormat returns the format for `env ls`: table, json, or a Go template.
func NewFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes envs in the context's format.
func FormatWrite(ctx formatter.Context, envs []api.Environment) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, e := range envs {
			if err := format(&envContext{env: e}); err != nil {
				return err
			}
		}
		return nil
	}
	return ctx.Write(newEnvContext(), render)
}

type envContext struct {
	formatter.HeaderContext
	env api.Environment
}

func newEnvContext() *envContext {
	c := envContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":        formatter.NameHeader,
		"Nodes":       nodesHeader,
		"Stacks":      stacksHeader,
		"Description": formatter.DescriptionHeader,
		"NodeLabel":   "NODE LABEL",
	}
	return &c
}

func (c *envContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *envContext) Name() string { return c.env.Name }

// Nodes is the number of nodes; `env inspect` lists them.
func (c *envContext) Nodes() string { return strconv.Itoa(len(c.env.Nodes)) }

// Stacks is the number of stacks deployed into the environment.
func (c *envContext) Stacks() string { return strconv.Itoa(len(c.env.Stacks)) }

func (c *envContext) Description() string { return c.env.Description }

func (c *envContext) NodeLabel() string { return c.env.NodeLabel }
