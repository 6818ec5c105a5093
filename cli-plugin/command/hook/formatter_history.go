package hook

import (
	"strconv"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultHistoryTableFormat = "table {{.Time}}\t{{.Hook}}\t{{.Alert}}\t{{.Service}}\t{{.Replicas}}\t{{.Decision}}\t{{.Reason}}"

	timeHeader      = "TIME"
	hookHeader      = "HOOK"
	alertHeader     = "ALERT"
	serviceHeader   = "SERVICE"
	stackHeader     = "STACK"
	directionHeader = "DIRECTION"
	replicasHeader  = "REPLICAS"
	decisionHeader  = "DECISION"
	reasonHeader    = "REASON"
)

// newHistoryFormat returns the format for `hook history`: table, json, or a Go template.
func newHistoryFormat(source string) formatter.Format {
	if source == formatter.TableFormatKey {
		return defaultHistoryTableFormat
	}
	return formatter.Format(source)
}

// DecisionWrite writes scale decisions in the context's format. Its fields are Time
// (RFC 3339, UTC), Hook (cut to 12 characters when the context truncates), Alert,
// Service, Stack, Direction, Replicas, Decision and Reason; `stack history --scaling`
// uses it with a table of its own.
func DecisionWrite(ctx formatter.Context, decisions []api.ScaleDecision) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, d := range decisions {
			if err := format(&decisionContext{d: d, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := decisionContext{}
	c.Header = formatter.SubHeaderContext{
		"Time":      timeHeader,
		"Hook":      hookHeader,
		"Alert":     alertHeader,
		"Service":   serviceHeader,
		"Stack":     stackHeader,
		"Direction": directionHeader,
		"Replicas":  replicasHeader,
		"Decision":  decisionHeader,
		"Reason":    reasonHeader,
	}
	return ctx.Write(&c, render)
}

type decisionContext struct {
	formatter.HeaderContext
	d     api.ScaleDecision
	trunc bool
}

func (c *decisionContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

// Time is absolute, not "2 minutes ago": cooldowns and alert timings are compared to the
// second, and Alertmanager and Prometheus show UTC.
func (c *decisionContext) Time() string { return c.d.Time.UTC().Format(time.RFC3339) }

func (c *decisionContext) Hook() string {
	if c.trunc {
		return formatter.TruncateID(c.d.Hook)
	}
	return c.d.Hook
}

func (c *decisionContext) Alert() string { return listing.OrDash(c.d.Alert) }

func (c *decisionContext) Service() string { return listing.OrDash(c.d.Service) }

func (c *decisionContext) Stack() string { return listing.OrDash(c.d.Stack) }

func (c *decisionContext) Direction() string { return listing.OrDash(c.d.Direction) }

// Replicas is "2 -> 3" for a change, "2" when the count stayed, and "-" when the manager
// never read a count: no service, a rejected alert, or a resolved one.
func (c *decisionContext) Replicas() string {
	switch {
	case c.d.Service == "", c.d.Decision == api.DecisionRejected, c.d.Decision == api.DecisionResolved:
		return "-"
	case c.d.From == c.d.To:
		return strconv.FormatUint(c.d.From, 10)
	}
	return strconv.FormatUint(c.d.From, 10) + " -> " + strconv.FormatUint(c.d.To, 10)
}

func (c *decisionContext) Decision() string { return c.d.Decision }

func (c *decisionContext) Reason() string { return listing.OrDash(c.d.Reason) }
