package dashboard

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/exos-platform/exos/manager/api"
	"github.com/muesli/termenv"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

// view renders the model after msgs in a window of w×h.
func view(t *testing.T, doc *api.Dashboard, w, h int, status string) string {
	t.Helper()
	m := newModel([]string{"prod", "qa"}, "", (&watched{}).watch, plain())
	m, _ = update(t, m, sizeMsg(w, h))
	if doc != nil {
		m, _ = update(t, m, docMsg{env: "", doc: *doc})
	}
	if status != "" {
		m, _ = update(t, m, lostMsg{env: "", err: errors.New(status)})
		m, _ = update(t, m, staleMsg{env: "", seq: m.losses, err: errors.New(status)})
	}
	return m.View()
}

func TestViewGolden(t *testing.T) {
	full, empty := fixture(), quiet()
	empty.Env = ""
	for _, tc := range []struct {
		name   string
		doc    *api.Dashboard
		w, h   int
		status string
	}{
		{name: "wide", doc: &full, w: 140, h: 40},
		{name: "narrow", doc: &full, w: 80, h: 60},
		{name: "short", doc: &full, w: 120, h: 12},
		{name: "empty", doc: &empty, w: 100, h: 30},
		{name: "waiting", w: 80, h: 24},
		{name: "reconnecting", doc: &full, w: 120, h: 40, status: "unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := view(t, tc.doc, tc.w, tc.h, tc.status)
			golden.Assert(t, got, fmt.Sprintf("view-%s.golden", tc.name))
			lines := strings.Split(got, "\n")
			assert.Check(t, len(lines) <= tc.h, "%d lines in a window of %d", len(lines), tc.h)
			for i, l := range lines {
				assert.Check(t, lipgloss.Width(l) <= tc.w, "line %d is %d wide in a window of %d: %q", i, lipgloss.Width(l), tc.w, l)
			}
		})
	}
}

// TestViewFitsAnyWindow checks that no line is wider than the window and the view is no
// taller, from a tiny terminal to a wide one.
func TestViewFitsAnyWindow(t *testing.T) {
	doc := fixture()
	for w := 1; w <= 160; w += 7 {
		for _, h := range []int{1, 2, 5, 17, 50} {
			got := view(t, &doc, w, h, "unexpected EOF")
			lines := strings.Split(got, "\n")
			assert.Check(t, len(lines) <= h, "%d lines in a window of %dx%d", len(lines), w, h)
			for i, l := range lines {
				assert.Check(t, lipgloss.Width(l) <= w, "line %d is %d wide in a window of %dx%d: %q", i, lipgloss.Width(l), w, h, l)
			}
		}
	}
}

// TestViewColours checks that a down host is drawn in red on a colour terminal, the
// golden views being colourless.
func TestViewColours(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	m := newModel(nil, "", (&watched{}).watch, newStyles(r))
	doc := fixture()
	m, _ = update(t, m, docMsg{env: "", doc: doc})
	assert.Check(t, is.Contains(m.View(), "\x1b[1;31mdown"))
	assert.Check(t, is.Contains(m.View(), "\x1b[1;31m░"))
}

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
