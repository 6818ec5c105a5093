package dashboard

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultWidth = 80  // until the terminal says its size
	twoColumns   = 100 // from this width the lists go side by side
	maxReasons   = 3   // per entry of a top-5 list; the rest are counted
	sparkWidth   = 45  // at most, in samples (the last minutes at 5 s each)
)

// View draws the dashboard for the window: the header, the counters, the two top-5 lists,
// the top containers, the host timeline, and a footer with the stream's status and the
// keys. Lines beyond the window's height are left out (the footer stays), so the view
// never scrolls.
func (m model) View() string {
	w := m.width
	if w <= 0 {
		w = defaultWidth
	}
	lines := []string{m.header(w)}
	if m.doc != nil {
		lines = append(lines, m.body(*m.doc, w)...)
	}
	if m.height > 0 && len(lines) > m.height-1 {
		lines = lines[:max(0, m.height-1)]
	}
	lines = append(lines, m.footer(w))
	for i, l := range lines { // the blocks fit themselves; this cuts what cannot, on a tiny window
		lines[i] = ansi.Truncate(strings.TrimRight(l, " "), w, "")
	}
	return strings.Join(lines, "\n")
}

func (m model) header(w int) string {
	left := fmt.Sprintf("EXOS dashboard · %s (%d/%d)", scopeName(m.env()), m.current+1, len(m.envs))
	right := ""
	if m.doc != nil && w >= 60 {
		right = " updated " + m.doc.Time.UTC().Format("15:04:05 MST")
	}
	return m.styles.title.Render(fit(left, w-len(right))) + right
}

func (m model) footer(w int) string {
	keys := "e/tab: environment · q: quit"
	status := m.status
	if status == "" {
		status = "live"
	}
	if w < 2*len([]rune(keys)) { // the status matters more than the keys, which help lists
		return m.styles.dim.Render(fit(status, w))
	}
	return m.styles.dim.Render(fit(status, w-len([]rune(keys))-1) + " " + keys)
}

func (m model) body(d api.Dashboard, w int) []string {
	lines := append(counters(d.Counters, w), "")
	lines = append(lines, m.columns(w,
		func(cw int) []string { return m.attention("Environments needing intervention", d.Environments, cw) },
		func(cw int) []string { return m.attention("Hosts needing attention", d.Hosts, cw) })...)
	lines = append(lines, "")
	lines = append(lines, m.columns(w,
		func(cw int) []string {
			return m.containers("Top CPU", d.TopCPU, cw, func(l api.ContainerLoad) (string, []float64) {
				return cpu(l.CPUPercent), l.History.CPU
			})
		},
		func(cw int) []string {
			return m.containers("Top memory", d.TopMemory, cw, func(l api.ContainerLoad) (string, []float64) {
				return memory(l.MemoryUsage, 0), memorySeries(l.History.Memory)
			})
		})...)
	lines = append(lines, "")
	return append(lines, m.timeline(d, w)...)
}

// counters are the totals in two lines, or three on a narrow window.
func counters(c api.DashboardCounters, w int) []string {
	h, n := c.Hosts, c.Containers
	hosts := fmt.Sprintf("Hosts %d: %d ready, %d down, %d drain, %d agent silent", h.Total, h.Ready, h.Down, h.Drain, h.Silent)
	containers := fmt.Sprintf("Containers %d: %d running, %d failing", n.Total, n.Running, n.Failing)
	others := fmt.Sprintf("Environments %d · Stacks %d · Services %d · Volumes %d · Registries %d",
		c.Environments, c.Stacks, c.Services, c.Volumes, c.Registries)
	lines := []string{hosts + " · " + containers, others}
	if len([]rune(lines[0])) > w {
		lines = []string{hosts, containers, others}
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return lines
}

// columns puts two blocks side by side on a wide window, one under the other otherwise.
func (m model) columns(w int, left, right func(cw int) []string) []string {
	if w < twoColumns {
		return append(append(left(w), ""), right(w)...)
	}
	cw := (w - 3) / 2
	l, r := left(cw), right(cw)
	out := make([]string, max(len(l), len(r)))
	for i := range out {
		var a, b string
		if i < len(l) {
			a = l[i]
		}
		if i < len(r) {
			b = r[i]
		}
		out[i] = pad(a, cw) + m.styles.dim.Render(" │ ") + b
	}
	return out
}
