package hook

import (
	"strconv"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultDeliveryTableFormat = "table {{.Time}}\t{{.Hook}}\t{{.Stack}}\t{{.Format}}\t{{.Image}}\t{{.Outcome}}\t{{.Revision}}\t{{.Reason}}"

	formatHeader     = "FORMAT"
	imageHeader      = "IMAGE"
	outcomeHeader    = "OUTCOME"
	revisionHeader   = "REVISION"
	deploymentHeader = "DEPLOYMENT"
)

func newDeliveryFormat(source string) formatter.Format {
	if source == formatter.TableFormatKey {
		return defaultDeliveryTableFormat
	}
	return formatter.Format(source)
}

// DeliveryWrite writes deploy hook deliveries in the context's format. Its fields are
// Time (RFC 3339, UTC), Hook (cut to 12 characters when the context truncates), Stack,
// Format, Image, Outcome, Deployment, Revision and Reason.
func DeliveryWrite(ctx formatter.Context, deliveries []api.DeployDelivery) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, d := range deliveries {
			if err := format(&deliveryContext{d: d, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := deliveryContext{}
	c.Header = formatter.SubHeaderContext{
		"Time": timeHeader, "Hook": hookHeader, "Stack": stackHeader, "Format": formatHeader, "Image": imageHeader,
		"Outcome": outcomeHeader, "Deployment": deploymentHeader, "Revision": revisionHeader, "Reason": reasonHeader,
	}
	return ctx.Write(&c, render)
}

type deliveryContext struct {
	formatter.HeaderContext
	d     api.DeployDelivery
	trunc bool
}

func (c *deliveryContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *deliveryContext) Time() string { return c.d.Time.UTC().Format(time.RFC3339) }

func (c *deliveryContext) Hook() string {
	if c.trunc {
		return formatter.TruncateID(c.d.Hook)
	}
	return c.d.Hook
}

func (c *deliveryContext) Stack() string { return listing.OrDash(c.d.Stack) }

func (c *deliveryContext) Format() string { return listing.OrDash(c.d.Format) }

func (c *deliveryContext) Image() string { return listing.OrDash(c.d.Image) }

func (c *deliveryContext) Outcome() string { return c.d.Outcome }

func (c *deliveryContext) Deployment() string { return listing.OrDash(c.d.Deployment) }

func (c *deliveryContext) Revision() string {
	if c.d.Revision == 0 {
		return "-"
	}
	return strconv.Itoa(c.d.Revision)
}

func (c *deliveryContext) Reason() string { return listing.OrDash(c.d.Reason) }
