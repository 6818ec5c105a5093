package listing

import (
	"io"
	"sort"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/fvbommel/sortorder"
)

const (
	containerTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}"
	containerQuietFormat = "{{.ID}}"
	// maxErrLength is where `docker stack ps` cuts errors too.
	maxErrLength = 30
)

var containerTitles = header{
	"ID":           "ID",
	"Name":         "NAME",
	"Image":        "IMAGE",
	"Node":         "NODE",
	"DesiredState": "DESIRED STATE",
	"CurrentState": "CURRENT STATE",
	"Error":        "ERROR",
	"Ports":        "PORTS",
	"Service":      "SERVICE",
	"Health":       "HEALTH",
}

// WriteContainers writes `stack containers`: like `docker stack ps`, by name, newest
// first within a slot.
func WriteContainers(out io.Writer, o Options, containers []api.Container) error {
	sort.SliceStable(containers, func(i, j int) bool {
		if containers[i].Name != containers[j].Name {
			return sortorder.NaturalLess(containers[i].Name, containers[j].Name)
		}
		return containers[i].UpdatedAt.After(containers[j].UpdatedAt)
	})
	rows := make([]row, len(containers))
	for i, c := range containers {
		rows[i] = &containerRow{c: c, trunc: !o.NoTrunc}
	}
	return o.context(out, containerTableFormat, containerQuietFormat).write(containerTitles, rows)
}

type containerRow struct {
	c     api.Container
	trunc bool
}

func (*containerRow) FullHeader() any { return containerTitles }

func (r *containerRow) MarshalJSON() ([]byte, error) { return marshalJSON(r) }

func (r *containerRow) ID() string {
	if r.trunc {
		return truncateID(r.c.ID)
	}
	return r.c.ID
}

func (r *containerRow) Name() string { return r.c.Name }

func (r *containerRow) Service() string { return r.c.Service }

func (r *containerRow) Image() string { return r.c.Image }

func (r *containerRow) Node() string { return r.c.Node }

func (r *containerRow) DesiredState() string { return capitalize(r.c.DesiredState) }

func (r *containerRow) Health() string { return r.c.Health }

// CurrentState is "Running (healthy) 2 minutes ago": the state, the container's health
// when it has a healthcheck, and how long it has been so.
func (r *containerRow) CurrentState() string {
	s := capitalize(r.c.State)
	if r.c.Health != "" {
		s += " (" + r.c.Health + ")"
	}
	if !r.c.UpdatedAt.IsZero() {
		s += " " + Ago(r.c.UpdatedAt)
	}
	return s
}

// Error is quoted and cut short in tables, as `docker stack ps` does.
func (r *containerRow) Error() string {
	if r.c.Error == "" || !r.trunc {
		return r.c.Error
	}
	return `"` + ellipsis(r.c.Error, maxErrLength) + `"`
}

func (r *containerRow) Ports() string { return strings.Join(r.c.Ports, ", ") }
