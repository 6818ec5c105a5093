package listing

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/fvbommel/sortorder"
)

const (
	stackTableFormat = "table {{.Name}}\t{{.Services}}\t{{.Env}}\t{{.Revision}}\t{{.State}}\t{{.Drift}}\t{{.Updated}}\t{{.Template}}\t{{.Upgrade}}"
	stackQuietFormat = "{{.Name}}"
)

var stackTitles = header{
	"Name":     "NAME",
	"Services": "SERVICES",
	"Env":      "ENV",
	"Revision": "REVISION",
	"Updated":  "UPDATED",
	"Template": "TEMPLATE",
	"Upgrade":  "UPGRADE",
	"State":    "STATE",
	"Drift":    "DRIFT",
}

// WriteStacks writes `stack ls`: by name in natural order, removed stacks only with all.
func WriteStacks(out io.Writer, o Options, stacks []api.Stack, all bool) error {
	stacks = slices.Clone(stacks)
	if !all {
		stacks = slices.DeleteFunc(stacks, func(s api.Stack) bool { return s.State == api.StackRemoved })
	}
	sort.Slice(stacks, func(i, j int) bool { return sortorder.NaturalLess(stacks[i].Name, stacks[j].Name) })
	rows := make([]row, len(stacks))
	for i, s := range stacks {
		rows[i] = &stackRow{s: s}
	}
	return o.context(out, stackTableFormat, stackQuietFormat).write(stackTitles, rows)
}

type stackRow struct{ s api.Stack }

func (*stackRow) FullHeader() any { return stackTitles }

func (r *stackRow) MarshalJSON() ([]byte, error) { return marshalJSON(r) }

func (r *stackRow) Name() string { return r.s.Name }

func (r *stackRow) Services() string { return strconv.Itoa(r.s.Services) }

func (r *stackRow) Env() string { return OrDash(r.s.Env) }

// Revision is "-" for stacks deployed without EXOS.
func (r *stackRow) Revision() string {
	if r.s.Revision == 0 {
		return "-"
	}
	return strconv.Itoa(r.s.Revision)
}

func (r *stackRow) Updated() string { return Ago(r.s.UpdatedAt) }

// Template is CATALOG/NAME:VERSION, empty for a stack deployed from compose files.
func (r *stackRow) Template() string {
	if r.s.Template == nil {
		return ""
	}
	return r.s.Template.Ref()
}

// Upgrade is the version `stack upgrade` would go to, empty when there is none.
func (r *stackRow) Upgrade() string { return r.s.UpgradeTo }

// State is the latest revision's state, "removed" for a stack whose services are gone,
// "-" for a stack deployed natively.
func (r *stackRow) State() string { return OrDash(r.s.State) }

// Drift counts the services that differ from the current revision, by kind:
// "1 updated, 1 removed"; "-" for none. `stack inspect` names them and their fields.
func (r *stackRow) Drift() string {
	counts := map[string]int{}
	var kinds []string
	for _, d := range r.s.Drift {
		if counts[d.Kind] == 0 {
			kinds = append(kinds, d.Kind)
		}
		counts[d.Kind]++
	}
	sort.Strings(kinds)
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	return OrDash(strings.Join(parts, ", "))
}
