package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const defaultTableFormat = "table {{.Time}}\t{{.Actor}}\t{{.Source}}\t{{.Action}}\t{{.Object}}\t{{.Env}}\t{{.Result}}\t{{.Revision}}"

// NewFormat returns the format for `audit ls`: table, json, or a Go template.
func NewFormat(source string) formatter.Format {
	if source == formatter.TableFormatKey {
		return defaultTableFormat
	}
	return formatter.Format(source)
}

// FormatWrite writes audit events in the context's format.
func FormatWrite(ctx formatter.Context, events []api.AuditEvent) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, e := range events {
			if err := format(&eventContext{e: e}); err != nil {
				return err
			}
		}
		return nil
	}
	c := eventContext{}
	c.Header = formatter.SubHeaderContext{
		"ID": "ID", "Time": "TIME", "Actor": "ACTOR", "Source": "SOURCE", "Action": "ACTION", "Route": "ROUTE",
		"Object": "OBJECT", "Env": "ENV", "Result": "RESULT", "Status": "STATUS", "RequestID": "REQUEST ID",
		"Revision": "REV", "Detail": "DETAIL", "Count": "COUNT",
	}
	return ctx.Write(&c, render)
}

type eventContext struct {
	formatter.HeaderContext
	e api.AuditEvent
}

// MarshalJSON is the event as the API answers it, so that --format json can be read back
// with the API's types.
func (c *eventContext) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "replicas 2 -> 3" reads as it is
	if err := enc.Encode(c.e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (c *eventContext) ID() string { return c.e.ID }

// Time is absolute, in UTC, to the second: events are compared with other logs.
func (c *eventContext) Time() string { return c.e.Time.UTC().Format(time.RFC3339) }

func (c *eventContext) Actor() string { return listing.OrDash(c.e.Actor) }

func (c *eventContext) Source() string { return listing.OrDash(c.e.Source) }

func (c *eventContext) Action() string { return c.e.Action }

func (c *eventContext) Route() string { return listing.OrDash(c.e.Route) }

func (c *eventContext) Object() string { return listing.OrDash(c.e.Object) }

func (c *eventContext) Env() string { return listing.OrDash(c.e.Env) }

// Result is ok, or denied/error with the status; "x N" for N repeats within a minute.
func (c *eventContext) Result() string {
	out := c.e.Result
	if c.e.Result != api.AuditOK && c.e.Status != 0 {
		out = fmt.Sprintf("%s (%d)", out, c.e.Status)
	}
	if c.e.Count > 1 {
		out += " x" + strconv.Itoa(c.e.Count)
	}
	return out
}

func (c *eventContext) Status() string { return strconv.Itoa(c.e.Status) }

func (c *eventContext) RequestID() string { return listing.OrDash(c.e.RequestID) }

func (c *eventContext) Revision() string {
	if c.e.Revision == 0 {
		return "-"
	}
	return strconv.Itoa(c.e.Revision)
}

func (c *eventContext) Detail() string { return listing.OrDash(c.e.Detail) }

func (c *eventContext) Count() string { return strconv.Itoa(max(c.e.Count, 1)) }
