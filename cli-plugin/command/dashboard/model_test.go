package dashboard

import (
	"errors"
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// plain are the styles of a terminal without colours, so views compare as text.
func plain() styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return newStyles(r)
}

// watched records what the model asked to watch; its command sends nothing.
type watched struct{ envs []string }

func (w *watched) watch(env string) tea.Cmd {
	w.envs = append(w.envs, env)
	return func() tea.Msg { return nil }
}

func update(t *testing.T, m model, msg tea.Msg) (model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	nm, ok := next.(model)
	assert.Assert(t, ok)
	return nm, cmd
}

func key(s string) tea.KeyMsg {
	switch s {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestKeysCycleEnvironments(t *testing.T) {
	w := &watched{}
	m := newModel([]string{"prod", "qa"}, "", w.watch, plain())
	m.Init()
	m, _ = update(t, m, docMsg{env: "", doc: fixture()})
	for _, tc := range []struct {
		key  string
		want string
	}{
		{"e", "prod"}, {"tab", "qa"}, {"e", ""}, {"shift+tab", "qa"}, {"E", "prod"}, {"x", "prod"},
	} {
		var cmd tea.Cmd
		m, cmd = update(t, m, key(tc.key))
		assert.Check(t, is.Equal(m.env(), tc.want), "after %s", tc.key)
		assert.Check(t, !isQuit(cmd), "after %s", tc.key)
	}
	assert.Check(t, is.DeepEqual(w.envs, []string{"", "prod", "qa", "", "qa", "prod"}))
	assert.Check(t, m.doc == nil, "the document of another environment is still shown")
	assert.Check(t, is.Equal(m.status, "loading environment prod…"))
}

func TestKeysQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := newModel(nil, "", (&watched{}).watch, plain())
		_, cmd := update(t, m, key(k))
		assert.Check(t, isQuit(cmd), k)
	}
}

func TestOnlyEnvironmentHasNothingToCycle(t *testing.T) {
	w := &watched{}
	m := newModel(nil, "", w.watch, plain())
	m, cmd := update(t, m, key("e"))
	assert.Check(t, cmd == nil)
	assert.Check(t, is.Equal(m.env(), ""))
	assert.Check(t, is.Len(w.envs, 0))
}

func TestStartsOnTheEnvironmentAsked(t *testing.T) {
	w := &watched{}
	m := newModel([]string{"prod", "qa"}, "qa", w.watch, plain())
	m.Init()
	assert.Check(t, is.DeepEqual(w.envs, []string{"qa"}))
	m, _ = update(t, m, key("e"))
	assert.Check(t, is.Equal(m.env(), ""))

	// an environment the list lacks (the caller may see its dashboard but not list it)
	m = newModel([]string{"prod"}, "ops", w.watch, plain())
	assert.Check(t, is.DeepEqual(m.envs, []string{"", "prod", "ops"}))
	assert.Check(t, is.Equal(m.env(), "ops"))
}

func TestStreamMessages(t *testing.T) {
	m := newModel([]string{"prod"}, "prod", (&watched{}).watch, plain())
	m, _ = update(t, m, docMsg{env: "", doc: fixture()})
	assert.Check(t, m.doc == nil, "a document of the environment shown before was taken")
	m, _ = update(t, m, docMsg{env: "prod", doc: quiet()})
	assert.Check(t, m.doc != nil && m.status == "")

	// a stream back within lostGrace goes unsaid
	m, cmd := update(t, m, lostMsg{env: "prod", err: errors.New("timeout")})
	assert.Check(t, cmd != nil && m.status == "")
	moot := staleMsg{env: "prod", seq: m.losses, err: errors.New("timeout")}
	m, _ = update(t, m, docMsg{env: "prod", doc: quiet()})
	m, _ = update(t, m, moot)
	assert.Check(t, is.Equal(m.status, ""))

	// one that stays lost is said, and the last document kept
	m, _ = update(t, m, lostMsg{env: "prod", err: errors.New("EOF")})
	m, _ = update(t, m, staleMsg{env: "prod", seq: m.losses, err: errors.New("EOF")})
	assert.Check(t, is.Equal(m.status, "connection to the manager lost (EOF): reconnecting…"))
	assert.Check(t, m.doc != nil, "the last document is kept while reconnecting")
	m, cmd = update(t, m, lostMsg{env: "", err: errors.New("old")})
	assert.Check(t, cmd == nil, "a lost stream of the environment shown before counts")
	m, _ = update(t, m, docMsg{env: "prod", doc: quiet()})
	assert.Check(t, is.Equal(m.status, ""))

	m, cmd = update(t, m, endMsg{env: "", err: errors.New("old")})
	assert.Check(t, cmd == nil && m.err == nil)
	m, cmd = update(t, m, endMsg{env: "prod", err: errors.New("forbidden")})
	assert.Check(t, isQuit(cmd))
	assert.Check(t, is.ErrorContains(m.err, "forbidden"))

	m, _ = update(t, m, tea.WindowSizeMsg{Width: 90, Height: 30})
	assert.Check(t, is.Equal(m.width, 90))
	assert.Check(t, is.Equal(m.height, 30))
}
