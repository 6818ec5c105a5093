package token

import (
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
)

const defaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.User}}\t{{.Env}}\t{{.Access}}\t{{.Expires}}\t{{.Status}}"

// newFormat returns the format for `token ls`: table, json, or a Go template.
func newFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.ID}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

func formatWrite(ctx formatter.Context, tokens []api.Token) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, t := range tokens {
			if err := format(&tokenContext{token: t}); err != nil {
				return err
			}
		}
		return nil
	}
	return ctx.Write(newTokenContext(), render)
}

type tokenContext struct {
	formatter.HeaderContext
	token api.Token
}

func newTokenContext() *tokenContext {
	c := tokenContext{}
	c.Header = formatter.SubHeaderContext{
		"ID":        "ID",
		"Name":      formatter.NameHeader,
		"User":      "USER",
		"Env":       "ENVIRONMENT",
		"Access":    "ACCESS",
		"Expires":   "EXPIRES",
		"Status":    formatter.StatusHeader,
		"CreatedAt": formatter.CreatedAtHeader,
		"CreatedBy": "CREATED BY",
	}
	return &c
}

func (c *tokenContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *tokenContext) ID() string        { return c.token.ID }
func (c *tokenContext) Name() string      { return c.token.Name }
func (c *tokenContext) User() string      { return c.token.User }
func (c *tokenContext) CreatedBy() string { return c.token.CreatedBy }

// Env is the environment the token is limited to; "*" for all of its user's.
func (c *tokenContext) Env() string {
	if c.token.Env == "" {
		return "*"
	}
	return c.token.Env
}

func (c *tokenContext) Access() string {
	if c.token.ReadOnly {
		return "read-only"
	}
	return "read-write"
}

func (c *tokenContext) Expires() string { return expiresText(c.token) }

func (c *tokenContext) Status() string {
	if c.token.Expired {
		return "expired"
	}
	return "active"
}

func (c *tokenContext) CreatedAt() string { return c.token.CreatedAt.UTC().Format(time.RFC3339) }
