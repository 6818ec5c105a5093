package hooks

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/persist"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// flakyObjects fails the first fails writes. It takes one call at a time, as the fake
// swarm under it must.
type flakyObjects struct {
	mu      sync.Mutex
	objects *storedObjects
	fails   atomic.Int32
}

func (o *flakyObjects) Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fails.Add(-1) >= 0 {
		return errors.New("raft: leader lost")
	}
	return o.objects.Put(ctx, kind, name, data, labels)
}

func (o *flakyObjects) Delete(ctx context.Context, kind, name string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.objects.Delete(ctx, kind, name)
}

func (o *flakyObjects) List(ctx context.Context, kind string) ([]persist.Object, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.objects.List(ctx, kind)
}

// Run writes what was added, with no other call, and tries a failed write again.
func TestHistoryRunWritesWhatIsAdded(t *testing.T) {
	objects := &flakyObjects{objects: newStoredObjects()}
	objects.fails.Store(1)
	h := NewHistory[string](objects, slog.New(slog.DiscardHandler), "test-log", "the test history")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx, 10*time.Millisecond); close(done) }()

	h.Add("first")
	h.Add("second")
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if objects.fails.Load() < 0 && len(stored(t, objects)) == 2 {
			return poll.Success()
		}
		return poll.Continue("the records are not written yet")
	}, poll.WithTimeout(10*time.Second))
	assert.Check(t, is.DeepEqual(stored(t, objects), []string{"first", "second"}))

	h.Add("last") // written when Run ends, before its interval
	cancel()
	<-done
	assert.Check(t, is.DeepEqual(stored(t, objects), []string{"first", "second", "last"}))
}

// stored is what a manager starting now would read of the history.
func stored(t *testing.T, objects Objects) []string {
	h := NewHistory[string](objects, slog.New(slog.DiscardHandler), "test-log", "the test history")
	assert.NilError(t, h.Load(context.Background()))
	return h.List(func(string) bool { return true })
}
