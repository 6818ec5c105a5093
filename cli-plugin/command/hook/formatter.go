package hook

import (
	"strconv"
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultTableFormat = "table {{.ID}}\t{{.Kind}}\t{{.Action}}\t{{.Services}}\t{{.Step}}\t{{.Min}}\t{{.Max}}\t{{.DryRun}}\t{{.Rejected}}\t{{.Created}}"

	idHeader       = "ID"
	kindHeader     = "KIND"
	actionHeader   = "ACTION"
	servicesHeader = "SERVICES"
	stepHeader     = "STEP"
	minHeader      = "MIN"
	maxHeader      = "MAX"
	dryRunHeader   = "DRY-RUN"
	pathHeader     = "PATH"
	rejectedHeader = "REJECTED"
)

// NewFormat returns the format for `hook ls`: table, json, or a Go template.
func NewFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.ID}}"
		}
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes hooks in the context's format; IDs are cut to 12 characters when
// the context truncates.
func FormatWrite(ctx formatter.Context, hooks []api.Hook) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, h := range hooks {
			if err := format(&hookContext{h: h, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := hookContext{}
	c.Header = formatter.SubHeaderContext{
		"ID":       idHeader,
		"Kind":     kindHeader,
		"Action":   actionHeader,
		"Services": servicesHeader,
		"Step":     stepHeader,
		"Min":      minHeader,
		"Max":      maxHeader,
		"DryRun":   dryRunHeader,
		"Created":  formatter.CreatedSinceHeader,
		"Path":     pathHeader,
		"Rejected": rejectedHeader,
	}
	return ctx.Write(&c, render)
}

type hookContext struct {
	formatter.HeaderContext
	h     api.Hook
	trunc bool
}

func (c *hookContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *hookContext) ID() string {
	if c.trunc {
		return formatter.TruncateID(c.h.ID)
	}
	return c.h.ID
}

// Kind is scale or deploy, "(revoked)" when the hook's token no longer works.
func (c *hookContext) Kind() string {
	if c.h.Revoked {
		return c.h.Kind + " (revoked)"
	}
	return c.h.Kind
}

// Action is a scale hook's action; a deploy hook's is its tag pattern, "*" for any.
func (c *hookContext) Action() string {
	if c.h.Kind == api.HookKindDeploy {
		if c.h.TagPattern == "" {
			return "deploy *"
		}
		return "deploy " + c.h.TagPattern
	}
	return c.h.Action
}

// Stack, Repository and TagPattern are a deploy hook's scope.
func (c *hookContext) Stack() string { return listing.OrDash(c.h.Stack) }

func (c *hookContext) Repository() string { return listing.OrDash(c.h.Repository) }

func (c *hookContext) TagPattern() string { return listing.OrDash(c.h.TagPattern) }

func (c *hookContext) Revoked() string { return strconv.FormatBool(c.h.Revoked) }

// Services is comma-joined; "*" is an auto hook open to every autoscaled service. A
// deploy hook's is its scope: the stack, or the one service, with the repository.
func (c *hookContext) Services() string {
	if c.h.Kind == api.HookKindDeploy {
		scope := c.h.Stack
		if c.h.Service != "" {
			scope += "_" + c.h.Service
		}
		if c.h.Repository != "" {
			scope += " (" + c.h.Repository + ")"
		}
		return scope
	}
	if len(c.h.Services) == 0 {
		if c.h.Action == api.ActionAuto {
			return "*"
		}
		return "-"
	}
	return strings.Join(c.h.Services, ",")
}

func (c *hookContext) Step() string { return optional(c.h.Step) }

func (c *hookContext) Min() string { return optional(c.h.Min) }

func (c *hookContext) Max() string { return optional(c.h.Max) }

func (c *hookContext) DryRun() string { return strconv.FormatBool(c.h.DryRun) }

// Rejected counts the deliveries refused for a bad token since the manager started.
func (c *hookContext) Rejected() string { return strconv.FormatUint(c.h.RejectedDeliveries, 10) }

func (c *hookContext) Created() string { return listing.Ago(c.h.CreatedAt) }

// Path is the hook's URL path on the manager; the token is never listed.
func (c *hookContext) Path() string { return c.h.Path }

// optional is "-" where the hook leaves the value to the service's autoscale policy.
func optional(v *uint64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatUint(*v, 10)
}
