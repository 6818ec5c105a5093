package swarm

import (
	"log/slog"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestPollClockLooksOnTheGrid(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	c := newPollClock(t0, 100*time.Millisecond)
	for _, tc := range []struct{ due, now, want int }{
		{due: 0, now: 0, want: 0},
		{due: 1, now: 0, want: 100}, // targets due within one step are polled together
		{due: 199, now: 0, want: 200},
		{due: 200, now: 0, want: 200},  // on the grid: at once
		{due: 50, now: 420, want: 500}, // overdue: the next step from now
		{due: 900, now: 420, want: 900},
	} {
		assert.Check(t, is.Equal(c.step(at(tc.due), at(tc.now)), at(tc.want)), "due %d ms, now %d ms", tc.due, tc.now)
	}
}

// An idle watcher whose nodes all have agents reporting looks at nothing until the first
// of them would fall silent; a node without one, or whose agent fell silent, is polled.
func TestWatcherLooksOnlyWhenSomethingIsDue(t *testing.T) {
	store := state.New()
	ready := swarm.NodeStatus{State: swarm.NodeStateReady}
	assert.NilError(t, store.UpsertNodes(state.NewNode(swarm.Node{ID: "n1", Status: ready}), state.NewNode(swarm.Node{ID: "n2", Status: ready})))
	w := NewWatcher(nil, store, slog.New(slog.DiscardHandler))
	now := time.Now()
	w.now = func() time.Time { return now }

	assert.Check(t, is.Equal(w.nextLook(), now), "no agent reports: every task is due at once")
	w.plan.drop(everyTask)

	w.NodeReported("n1", nil, now.Add(-10*time.Second))
	w.NodeReported("n2", nil, now.Add(-2*time.Second))
	assert.Check(t, is.Equal(w.nextLook(), now.Add(api.AgentSilentAfter-10*time.Second)), "nothing due: the first agent to fall silent")

	now = now.Add(6 * time.Second) // n1's agent is silent: its node is due at once
	assert.Check(t, is.Equal(w.nextLook(), now))
	w.plan.drop(pollTarget{kind: targetNode, id: "n1"})
	w.NodeReported("n1", nil, now) // n1's agent reports again
	w.plan.wake(pollTarget{kind: targetService, id: "s1"}, now, time.Second)
	assert.Check(t, is.Equal(w.nextLook(), now.Add(time.Second)), "a woken service before n2's silence")
}
