package user

import (
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

const defaultTableFormat = "table {{.Name}}\t{{.Source}}\t{{.Admin}}\t{{.Status}}\t{{.Groups}}\t{{.Roles}}"

// newFormat returns the format for `user ls`: table, json, or a Go template.
func newFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

func formatWrite(ctx formatter.Context, users []api.User) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, u := range users {
			if err := format(&userContext{user: u}); err != nil {
				return err
			}
		}
		return nil
	}
	return ctx.Write(newUserContext(), render)
}

type userContext struct {
	formatter.HeaderContext
	user api.User
}

func newUserContext() *userContext {
	c := userContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":        formatter.NameHeader,
		"DisplayName": "DISPLAY NAME",
		"Source":      "SOURCE",
		"Admin":       "ADMIN",
		"Status":      formatter.StatusHeader,
		"Groups":      "GROUPS",
		"Roles":       "ROLES",
		"CreatedAt":   formatter.CreatedAtHeader,
	}
	return &c
}

func (c *userContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *userContext) Name() string        { return c.user.Name }
func (c *userContext) DisplayName() string { return c.user.DisplayName }
func (c *userContext) Source() string      { return c.user.Source }

func (c *userContext) Admin() string {
	if c.user.Admin {
		return "yes"
	}
	return "no"
}

// Status is "disabled" or "enabled"; a local user without a password cannot log in.
func (c *userContext) Status() string {
	switch {
	case c.user.Disabled:
		return "disabled"
	case c.user.Source == api.SourceLocal && !c.user.HasPassword:
		return "no password"
	}
	return "enabled"
}

func (c *userContext) Groups() string { return strings.Join(c.user.Groups, ", ") }
func (c *userContext) Roles() string  { return command.RolesText(c.user.Roles) }

func (c *userContext) CreatedAt() string { return c.user.CreatedAt.UTC().Format("2006-01-02 15:04:05") }
