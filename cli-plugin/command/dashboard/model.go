package dashboard

import (
	"fmt"
	"time"

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

// lostGrace is how long a lost stream may take to come back before the view says so: the
// client's timeout ends a stream every few minutes and the next opens at once.
const lostGrace = time.Second

// staleMsg comes lostGrace after stream loss number seq of env.
type staleMsg struct {
	env string
	seq int
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
	losses  int            // streams lost or documents received: a staleMsg of an older one is moot
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
			m.losses++
		}
	case lostMsg:
		if msg.env == m.env() {
			m.losses++
			stale := staleMsg{env: msg.env, seq: m.losses, err: msg.err}
			return m, tea.Tick(lostGrace, func(time.Time) tea.Msg { return stale })
		}
	case staleMsg:
		if msg.env == m.env() && msg.seq == m.losses {
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
