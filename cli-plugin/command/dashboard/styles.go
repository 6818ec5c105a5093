package dashboard

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/exos-platform/exos/manager/api"
)

// styles are the live view's colours, made by one renderer: the terminal's in the
// program, a colourless one in tests, so golden views are plain text.
type styles struct {
	title, dim, score lipgloss.Style
	state             map[string]lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) styles {
	color := func(c string) lipgloss.Style { return r.NewStyle().Foreground(lipgloss.Color(c)) }
	return styles{
		title: r.NewStyle().Bold(true),
		dim:   r.NewStyle().Faint(true),
		score: color("3").Bold(true),
		state: map[string]lipgloss.Style{
			api.HostReady:   color("2"),
			api.HostDrain:   color("3"),
			api.HostSilent:  color("5"),
			api.HostDown:    color("1").Bold(true),
			api.HostUnknown: r.NewStyle().Faint(true),
		},
	}
}

// of is the style of a host state; one this plugin does not know is dim.
func (s styles) of(state string) lipgloss.Style {
	if st, ok := s.state[state]; ok {
		return st
	}
	return s.dim
}

// colorBar writes cells as glyphs, each run of one state in its colour.
func (s styles) colorBar(cells []string) string {
	var b strings.Builder
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		b.WriteString(s.of(cells[i]).Render(strings.Repeat(glyph(cells[i]), j-i)))
		i = j
	}
	return b.String()
}

// fit cuts s to w characters, ending with an ellipsis when cut, and pads it to w. What it
// fits is plain text (names EXOS and Swarm allow), so runes are columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) > w {
		return string(r[:w-1]) + "…"
	}
	return s + strings.Repeat(" ", w-len(r))
}

// pad pads a line that may hold colours to w columns.
func pad(line string, w int) string {
	return line + strings.Repeat(" ", max(0, w-lipgloss.Width(line)))
}
