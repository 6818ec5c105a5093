package dashboard

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/exos-platform/exos/manager/api"
)

// docMsg is a dashboard document the stream of env sent.
type docMsg struct {
	env string
	doc api.Dashboard
}

// lostMsg says the stream of env ended and is being opened again.
type lostMsg struct {
	env string
	err error
}

// endMsg says the stream of env stopped for good (the manager refused it).
type endMsg struct {
	env string
	err error
}

// model is the live view's state. Update and View are pure: what arrives from the
// manager comes in as messages, and watching an environment is a command the runner
// gives (watch), so tests drive the model with messages alone.
type model struct {
	envs    []string // "" (all) first, then each environment the caller sees
	current int
	doc     *api.Dashboard // the current environment's latest document; nil until one arrives
	status  string         // why what is shown may be stale; "" when live
	err     error          // what ended the view
	width   int
	height  int
	watch   func(env string) tea.Cmd
	styles  styles
}

func newModel(envs []string, start string, watch func(env string) tea.Cmd, st styles) model {
	m := model{envs: append([]string{""}, envs...), watch: watch, styles: st, status: "connecting to the manager…"}
	for i, e := range m.envs {
		if e == start {
			m.current = i
		}
	}
	if m.envs[m.current] != start { // an environment the list does not have: show it anyway
		m.envs = append(m.envs, start)
		m.current = len(m.envs) - 1
	}
	return m
}

func (m model) env() string { return m.envs[m.current] }

func (m model) Init() tea.Cmd { return m.watch(m.env()) }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		return m.key(msg.String())
	case docMsg:
		if msg.env == m.env() {
			m.doc, m.status = &msg.doc, ""
		}
	case lostMsg:
		if msg.env == m.env() {
			m.status = fmt.Sprintf("connection to the manager lost (%v): reconnecting…", msg.err)
		}
	case endMsg:
		if msg.env == m.env() {
			m.err = msg.err
			return m, tea.Quit
		}
	}
	return m, nil
}

// key handles a key press: quit, or the next or previous environment, whose documents
// replace the current ones once its stream sends the first.
func (m model) key(key string) (tea.Model, tea.Cmd) {
	step := 0
	switch key {
	case "q", "ctrl+c":
		return m, tea.Quit
	case "e", "tab":
		step = 1
	case "E", "shift+tab":
		step = len(m.envs) - 1
	}
	if step == 0 || len(m.envs) == 1 {
		return m, nil
	}
	m.current = (m.current + step) % len(m.envs)
	m.doc, m.status = nil, "loading "+scopeName(m.env())+"…"
	return m, m.watch(m.env())
}
