package dashboard

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// states are the host states in the order the legend lists them, each with its glyph.
// Glyphs differ in density, so a bar reads without colours too.
var states = []struct{ state, glyph, name string }{
	{api.HostReady, "█", "ready"},
	{api.HostDrain, "▓", "drain"},
	{api.HostSilent, "▒", "agent silent"},
	{api.HostDown, "░", "down"},
	{api.HostUnknown, "·", "unknown"},
}

// severity ranks states for a cell that holds several: the worst one shows, so a short
// outage stays visible however long a cell is.
var severity = map[string]int{api.HostUnknown: 0, api.HostReady: 1, api.HostDrain: 2, api.HostSilent: 3, api.HostDown: 4}

func glyph(state string) string {
	for _, s := range states {
		if s.state == state {
			return s.glyph
		}
	}
	return "?"
}

// stateName is how a state is written: "agent silent" rather than the wire's name.
func stateName(state string) string {
	for _, s := range states {
		if s.state == state {
			return s.name
		}
	}
	return state
}

// legend says what each glyph of a bar means.
func legend() string {
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = s.glyph + " " + s.name
	}
	return strings.Join(parts, ", ")
}

// current is the host's last segment: its state now and since when.
func current(h api.HostTimeline) api.HostSegment {
	if len(h.Segments) == 0 {
		return api.HostSegment{State: api.HostUnknown}
	}
	return h.Segments[len(h.Segments)-1]
}

// cells cuts the TimelineWindow that ends at now into n equal cells, oldest first, and
// gives each the worst state the host was in during it (unknown where nothing is known).
// A segment whose To is zero lasts until now.
func cells(h api.HostTimeline, now time.Time, n int) []string {
	out := make([]string, n)
	if n <= 0 {
		return out
	}
	step := api.TimelineWindow / time.Duration(n)
	start := now.Add(-api.TimelineWindow)
	for i := range out {
		from, to := start.Add(time.Duration(i)*step), start.Add(time.Duration(i+1)*step)
		out[i] = api.HostUnknown
		for _, s := range h.Segments {
			end := s.To
			if end.IsZero() {
				end = now
			}
			if s.From.Before(to) && end.After(from) && severity[s.State] >= severity[out[i]] {
				out[i] = s.State
			}
		}
	}
	return out
}

// bar writes cells as glyphs.
func bar(cells []string) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString(glyph(c))
	}
	return b.String()
}

// byHostname is the timeline in hostname order, as a person looks a host up; the
// document's order is the manager's.
func byHostname(hosts []api.HostTimeline) []api.HostTimeline {
	return slices.SortedStableFunc(slices.Values(hosts), func(a, b api.HostTimeline) int {
		return cmp.Or(cmp.Compare(a.Hostname, b.Hostname), cmp.Compare(a.NodeID, b.NodeID))
	})
}
