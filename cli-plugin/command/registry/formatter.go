package registry

import (
	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultTableFormat = "table {{.Name}}\t{{.URL}}\t{{.Env}}\t{{.User}}\t{{.Password}}\t{{.TLS}}\t{{.Created}}"

	urlHeader      = "URL"
	envHeader      = "ENV"
	userHeader     = "USER"
	passwordHeader = "PASSWORD"
	tlsHeader      = "TLS"
	createdHeader  = "CREATED"
)

// NewFormat returns the format for `registry ls`: table, json, or a Go template.
func NewFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes registries in the context's format.
func FormatWrite(ctx formatter.Context, registries []api.Registry) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, r := range registries {
			if err := format(&registryContext{r: r}); err != nil {
				return err
			}
		}
		return nil
	}
	c := registryContext{}
	c.Header = formatter.SubHeaderContext{
		"Name":     formatter.NameHeader,
		"URL":      urlHeader,
		"Env":      envHeader,
		"User":     userHeader,
		"Password": passwordHeader,
		"TLS":      tlsHeader,
		"Created":  createdHeader,
	}
	return ctx.Write(&c, render)
}

type registryContext struct {
	formatter.HeaderContext
	r api.Registry
}

func (c *registryContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *registryContext) Name() string { return c.r.Name }

func (c *registryContext) URL() string { return c.r.URL }

// Env is "(global)" for a registry every environment may read.
func (c *registryContext) Env() string {
	if c.r.Env == "" {
		return "(global)"
	}
	return c.r.Env
}

// User is "-" for anonymous access.
func (c *registryContext) User() string { return listing.OrDash(c.r.Username) }

// Password says whether one is kept; it is never shown.
func (c *registryContext) Password() string {
	if c.r.HasPassword {
		return "yes"
	}
	return "no"
}

// TLS is what the registry's certificate is checked against.
func (c *registryContext) TLS() string {
	switch {
	case c.r.Insecure:
		return "insecure"
	case c.r.CA != "":
		return "own CA"
	}
	return "system CAs"
}

func (c *registryContext) Created() string { return listing.Ago(c.r.CreatedAt) }
