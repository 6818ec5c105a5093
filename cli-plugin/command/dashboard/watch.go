package dashboard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// runWatch shows the live view until q. The program reads and draws on the process's
// own terminal (os.Stdin, os.Stdout) rather than the Docker CLI's streams, because
// bubbletea switches a terminal to raw mode only through an *os.File; runDashboard checked
// that the output is a terminal.
func runWatch(ctx context.Context, dockerCLI command.Cli, env string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	envs, err := environmentNames(ctx, mgr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &watcher{ctx: ctx, mgr: mgr}
	m := newModel(envs, env, w.watch, newStyles(lipgloss.DefaultRenderer()))
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithAltScreen(), tea.WithInput(os.Stdin), tea.WithOutput(os.Stdout))
	w.send = p.Send
	final, err := p.Run()
	cancel()
	w.wait()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("the live dashboard failed: %w", err)
	}
	if fm, ok := final.(model); ok && fm.err != nil {
		return fm.err
	}
	return nil
}

// environmentNames are the environments the caller sees, which e and tab cycle through.
func environmentNames(ctx context.Context, mgr command.ManagerClient) ([]string, error) {
	list, err := mgr.ListEnvironments(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to list the environments: %w", err)
	}
	names := make([]string, len(list))
	for i, e := range list {
		names[i] = e.Name
	}
	return names, nil
}

// watcher keeps one dashboard stream open, for the environment shown, and sends what
// it receives to the program as messages.
type watcher struct {
	ctx  context.Context
	mgr  command.DashboardClient
	send func(tea.Msg)

	mu      sync.Mutex
	stop    context.CancelFunc
	streams sync.WaitGroup
}

// watch is the command that closes the stream of the environment shown before and opens
// the one of env.
func (w *watcher) watch(env string) tea.Cmd {
	return func() tea.Msg {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.stop != nil {
			w.stop()
		}
		ctx, stop := context.WithCancel(w.ctx)
		w.stop = stop
		w.streams.Add(1)
		go w.stream(ctx, env)
		return nil
	}
}

func (w *watcher) stream(ctx context.Context, env string) {
	defer w.streams.Done()
	err := w.mgr.WatchDashboardReporting(ctx, api.DashboardQuery{Env: env},
		func(d api.Dashboard) error {
			w.send(docMsg{env: env, doc: d})
			return nil
		},
		func(err error) { w.send(lostMsg{env: env, err: err}) })
	if ctx.Err() == nil {
		w.send(endMsg{env: env, err: fmt.Errorf("the dashboard stream of %s ended: %w", scopeName(env), err)})
	}
}

// wait returns once every stream has ended, so none outlives the command.
func (w *watcher) wait() {
	w.mu.Lock()
	if w.stop != nil {
		w.stop()
	}
	w.mu.Unlock()
	w.streams.Wait()
}
