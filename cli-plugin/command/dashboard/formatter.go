package dashboard

import (
	"fmt"
	"strconv"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	attentionTableFormat = "table {{.Name}}\t{{.Score}}\t{{.Reason}}\t{{.Object}}"
	containerTableFormat = "table {{.Service}}\t{{.Env}}\t{{.Host}}\t{{.CPU}}\t{{.Memory}}\t{{.Container}}"
	timelineTableFormat  = "table {{.Host}}\t{{.State}}\t{{.Since}}\t{{.Bar}}"
)

// attentionWrite writes one row per reason; an entry's name and score are on its first
// row only, so the reasons read as a list under it.
func attentionWrite(ctx formatter.Context, nameHeader string, entries []api.Attention) error {
	ctx.Format = attentionTableFormat
	c := attentionContext{}
	c.Header = formatter.SubHeaderContext{"Name": nameHeader, "Score": "SCORE", "Reason": "REASON", "Object": "OBJECT"}
	return ctx.Write(&c, func(format func(formatter.SubContext) error) error {
		for _, a := range entries {
			if len(a.Reasons) == 0 {
				if err := format(&attentionContext{a: a, first: true}); err != nil {
					return err
				}
			}
			for i, r := range a.Reasons {
				if err := format(&attentionContext{a: a, r: r, first: i == 0}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

type attentionContext struct {
	formatter.HeaderContext
	a     api.Attention
	r     api.Reason
	first bool
}

func (c *attentionContext) Name() string {
	if !c.first {
		return ""
	}
	return c.a.Name
}

func (c *attentionContext) Score() string {
	if !c.first {
		return ""
	}
	return score(c.a.Score)
}

func (c *attentionContext) Reason() string { return listing.OrDash(c.r.Text) }

func (c *attentionContext) Object() string { return objectName(c.r.Object) }

// score drops the decimals of a whole score and keeps one otherwise.
func score(s float64) string {
	return strconv.FormatFloat(s, 'f', -1, 64)
}

// objectName is "service web_api": what a reason points at.
func objectName(o api.ObjectRef) string {
	switch {
	case o.Kind == "" && o.Name == "":
		return "-"
	case o.Kind == "":
		return o.Name
	}
	return o.Kind + " " + o.Name
}

func containersWrite(ctx formatter.Context, loads []api.ContainerLoad) error {
	ctx.Format = containerTableFormat
	c := containerContext{}
	c.Header = formatter.SubHeaderContext{
		"Service": "SERVICE", "Env": "ENV", "Host": "HOST", "CPU": "CPU", "Memory": "MEMORY", "Container": "CONTAINER",
	}
	return ctx.Write(&c, func(format func(formatter.SubContext) error) error {
		for _, l := range loads {
			if err := format(&containerContext{l: l}); err != nil {
				return err
			}
		}
		return nil
	})
}

type containerContext struct {
	formatter.HeaderContext
	l api.ContainerLoad
}

func (c *containerContext) Service() string { return c.l.Service }

func (c *containerContext) Env() string { return listing.OrDash(c.l.Env) }

func (c *containerContext) Host() string { return listing.OrDash(c.l.Hostname) }

func (c *containerContext) CPU() string { return cpu(c.l.CPUPercent) }

func (c *containerContext) Memory() string { return memory(c.l.MemoryUsage, c.l.MemoryLimit) }

func (c *containerContext) Container() string { return formatter.TruncateID(c.l.ContainerID) }

// cpu is a percentage of one core, as docker stats shows it.
func cpu(p float64) string { return fmt.Sprintf("%.1f%%", p) }

// memory is the usage, and the limit when there is one.
func memory(usage, limit uint64) string {
	if limit == 0 {
		return units.BytesSize(float64(usage))
	}
	return units.BytesSize(float64(usage)) + " / " + units.BytesSize(float64(limit))
}

func timelineWrite(ctx formatter.Context, hosts []api.HostTimeline, now time.Time) error {
	ctx.Format = timelineTableFormat
	c := timelineContext{}
	c.Header = formatter.SubHeaderContext{"Host": "HOST", "State": "STATE", "Since": "SINCE", "Bar": "LAST 24H"}
	return ctx.Write(&c, func(format func(formatter.SubContext) error) error {
		for _, h := range hosts {
			if err := format(&timelineContext{h: h, now: now}); err != nil {
				return err
			}
		}
		return nil
	})
}

type timelineContext struct {
	formatter.HeaderContext
	h   api.HostTimeline
	now time.Time
}

func (c *timelineContext) Host() string { return listing.OrDash(c.h.Hostname) }

func (c *timelineContext) State() string { return stateName(current(c.h).State) }

func (c *timelineContext) Since() string { return since(current(c.h).From, c.now) }

func (c *timelineContext) Bar() string { return bar(cells(c.h, c.now, printCells)) }
