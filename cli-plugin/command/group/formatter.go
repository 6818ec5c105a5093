package group

import (
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

const defaultTableFormat = "table {{.Name}}\t{{.Members}}\t{{.DirectoryGroups}}\t{{.Roles}}\t{{.Description}}"

// newFormat returns the format for `group ls`: table, json, or a Go template.
func newFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

func formatWrite(ctx formatter.Context, groups []api.Group) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, g := range groups {
			if err := format(&groupContext{group: g}); err != nil {
				return err
			}
		}
		return nil
	}
	return ctx.Write(newGroupContext(), render)
}

type groupContext struct {
	formatter.HeaderContext
	group api.Group
}

func newGroupContext() *groupContext {
	c := groupContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":            formatter.NameHeader,
		"Members":         "MEMBERS",
		"DirectoryGroups": "DIRECTORY GROUPS",
		"Roles":           "ROLES",
		"Description":     formatter.DescriptionHeader,
	}
	return &c
}

func (c *groupContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *groupContext) Name() string            { return c.group.Name }
func (c *groupContext) Members() string         { return strings.Join(c.group.Members, ", ") }
func (c *groupContext) DirectoryGroups() string { return strings.Join(c.group.DirectoryGroups, "; ") }
func (c *groupContext) Roles() string           { return command.RolesText(c.group.Roles) }
func (c *groupContext) Description() string     { return c.group.Description }
