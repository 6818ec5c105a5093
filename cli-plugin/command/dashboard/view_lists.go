package dashboard

import (
	"fmt"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// attention draws a top-5 list in cw columns: rank, name, score and the first reason on
// one line, the next reasons under it, and how many more there are.
func (m model) attention(title string, entries []api.Attention, cw int) []string {
	lines := []string{m.styles.title.Render(fit(title, cw))}
	if len(entries) == 0 {
		return append(lines, m.styles.dim.Render(fit("  nothing needs attention", cw)))
	}
	nameW := min(16, max(4, cw/4))
	for i, a := range entries {
		rank, points := fmt.Sprintf("%d %s ", i+1, fit(a.Name, nameW)), fmt.Sprintf("%5s", score(a.Score))
		indent := strings.Repeat(" ", len([]rune(rank))+len(points)+1)
		rw := cw - len(indent)
		reasons := a.Reasons
		if len(reasons) == 0 {
			reasons = []api.Reason{{Text: "-"}}
		}
		for j, r := range reasons[:min(len(reasons), maxReasons)] {
			prefix := indent
			if j == 0 {
				prefix = rank + m.styles.score.Render(points) + " "
			}
			lines = append(lines, prefix+fit(r.Text, rw))
		}
		if more := len(reasons) - maxReasons; more > 0 {
			lines = append(lines, indent+m.styles.dim.Render(fit(fmt.Sprintf("+%d more", more), rw)))
		}
	}
	return lines
}

// containers draws a top list in cw columns: service, host, the value it is ranked by,
// and that value's history as a sparkline in what width is left.
func (m model) containers(title string, loads []api.ContainerLoad, cw int, value func(api.ContainerLoad) (string, []float64)) []string {
	lines := []string{m.styles.title.Render(fit(title, cw))}
	if len(loads) == 0 {
		return append(lines, m.styles.dim.Render(fit("  no samples from the agents yet", cw)))
	}
	serviceW, hostW, valueW := min(24, max(8, cw/3)), min(12, max(5, cw/6)), 9
	sparkW := min(sparkWidth, cw-serviceW-hostW-valueW-3)
	for _, l := range loads {
		v, series := value(l)
		line := fit(l.Service, serviceW) + " " + fit(l.Hostname, hostW) + " " + fmt.Sprintf("%*s", valueW, v)
		if sparkW > 3 {
			line += " " + sparkline(series, sparkW)
		}
		lines = append(lines, line)
	}
	return lines
}

// timeline draws every host's state now and its last 24 hours as a coloured bar as wide
// as the window allows.
func (m model) timeline(d api.Dashboard, w int) []string {
	lines := []string{m.styles.title.Render("Host timeline, last 24h") + m.styles.dim.Render(fit("  "+legend(), max(0, w-23)))}
	if len(d.Timeline) == 0 {
		return append(lines, m.styles.dim.Render(fit("  no hosts", w)))
	}
	hostW, stateW := 12, 13
	barW := w - hostW - stateW - 2
	for _, h := range byHostname(d.Timeline) {
		state := current(h).State
		line := fit(h.Hostname, hostW) + " " + m.styles.of(state).Render(fit(stateName(state), stateW))
		if barW > 0 {
			line += " " + m.styles.colorBar(cells(h, d.Time, barW))
		}
		lines = append(lines, line)
	}
	return lines
}
