package dashboard

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// inbox collects what the watcher sends to the program.
type inbox struct {
	mu   sync.Mutex
	msgs []tea.Msg
}

func (b *inbox) send(m tea.Msg) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
}

func (b *inbox) has(want tea.Msg) poll.Check {
	return func(poll.LogT) poll.Result {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, m := range b.msgs {
			if reflect.DeepEqual(m, want) { // messages have unexported fields
				return poll.Success()
			}
		}
		return poll.Continue("%v not sent yet; sent %v", want, b.msgs)
	}
}

// TestWatcherFollowsTheEnvironmentShown checks that switching environments closes the
// stream of the one shown before and opens the new one, and that what the streams report
// reaches the program tagged with their environment.
func TestWatcherFollowsTheEnvironmentShown(t *testing.T) {
	var mu sync.Mutex
	open := map[string]bool{}
	fake := &test.FakeDashboard{WatchFunc: func(ctx context.Context, q api.DashboardQuery, each func(api.Dashboard) error, lost func(error)) error {
		mu.Lock()
		open[q.Env] = true
		mu.Unlock()
		defer func() { mu.Lock(); open[q.Env] = false; mu.Unlock() }()
		lost(errors.New("EOF"))
		if err := each(api.Dashboard{Env: q.Env}); err != nil {
			return err
		}
		if q.Env == "gone" {
			return &api.Error{StatusCode: 404, Message: `environment "gone" does not exist`}
		}
		<-ctx.Done()
		return ctx.Err()
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := &inbox{}
	w := &watcher{ctx: ctx, mgr: fake, send: b.send}

	assert.Check(t, is.Nil(w.watch("")()))
	poll.WaitOn(t, b.has(docMsg{env: "", doc: api.Dashboard{}}), poll.WithTimeout(5*time.Second))
	poll.WaitOn(t, b.has(lostMsg{env: "", err: errors.New("EOF")}), poll.WithTimeout(5*time.Second))
	w.watch("qa")()
	poll.WaitOn(t, b.has(docMsg{env: "qa", doc: api.Dashboard{Env: "qa"}}), poll.WithTimeout(5*time.Second))
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		mu.Lock()
		defer mu.Unlock()
		if open[""] {
			return poll.Continue("the stream of all environments is still open")
		}
		return poll.Success()
	}, poll.WithTimeout(5*time.Second))

	w.watch("gone")()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, m := range b.msgs {
			if end, ok := m.(endMsg); ok && end.env == "gone" {
				assert.Check(t, is.ErrorContains(end.err, `the dashboard stream of environment gone ended: environment "gone" does not exist`))
				return poll.Success()
			}
		}
		return poll.Continue("no end of the stream sent")
	}, poll.WithTimeout(5*time.Second))

	w.wait()
	mu.Lock()
	defer mu.Unlock()
	assert.Check(t, !open["qa"] && !open[""], "a stream outlived wait: %v", open)
	for _, m := range b.msgs {
		if end, ok := m.(endMsg); ok {
			assert.Check(t, is.Equal(end.env, "gone"), "a stream closed by a switch reported its end")
		}
	}
}
