package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// clock is a settable clock for the tests; it moves a microsecond on every reading so
// that events get distinct, ordered times.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Microsecond)
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestLog(engine *swarmtest.Engine, c *clock) *Log {
	return New(Config{Objects: persist.New(engine), Now: c.now})
}

// configs counts the engine's configs of an audit kind.
func configs(engine *swarmtest.Engine, kind string) int {
	n := 0
	for _, c := range engine.Configs {
		if c.Spec.Labels[persist.LabelKind] == kind {
			n++
		}
	}
	return n
}

func change(actor, object string) Event {
	return Event{Actor: actor, Source: "10.0.0.9", Action: "stack.deploy", Object: object, Result: ResultOK, Status: 200}
}

func ids(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Object
	}
	return out
}

func TestRecordIsInTheSwarmWhenItReturns(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	assert.NilError(t, l.Record(ctx, change("bob", "stacks/shop")))
	assert.Check(t, is.Equal(configs(engine, kindEvent), 1))

	// A manager killed now, before any flush, reads the event back.
	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(ctx))
	got, _ := again.List(Query{}, nil)
	assert.Assert(t, is.Len(got, 1))
	assert.Check(t, is.Equal(got[0].Actor, "bob"))
	assert.Check(t, got[0].ID != "" && !got[0].Time.IsZero())
}

func TestFlushCompactsSingleEventsIntoASegment(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	for i := range 3 {
		assert.NilError(t, l.Record(ctx, change("bob", fmt.Sprintf("stacks/s%d", i))))
	}
	assert.NilError(t, l.Flush(ctx))
	assert.Check(t, is.Equal(configs(engine, kindEvent), 0), "single events removed once in a segment")
	assert.Check(t, is.Equal(configs(engine, kindSegment), 1))

	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(ctx))
	got, _ := again.List(Query{}, nil)
	assert.Check(t, is.DeepEqual(ids(got), []string{"stacks/s2", "stacks/s1", "stacks/s0"}), "newest first")
}

// A manager killed between writing a segment and removing the single events it holds
// (the removal fails here, as if the process had died) keeps every event exactly once.
func TestKilledBetweenSegmentAndRemovalKeepsEveryEventOnce(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	for i := range 3 {
		assert.NilError(t, l.Record(ctx, change("bob", fmt.Sprintf("stacks/s%d", i))))
	}
	// The flush's writes: the segment (1), then one removal per single event.
	engine.FailAt = engine.Writes + 2
	assert.Check(t, l.Flush(ctx) != nil)
	assert.Check(t, is.Equal(configs(engine, kindSegment), 1))
	assert.Check(t, is.Equal(configs(engine, kindEvent), 3), "the first removal failed, as if the manager was killed")
	engine.FailAt = 0

	restarted := newTestLog(engine, c)
	assert.NilError(t, restarted.Load(ctx))
	got, _ := restarted.List(Query{}, nil)
	assert.Check(t, is.DeepEqual(ids(got), []string{"stacks/s2", "stacks/s1", "stacks/s0"}), "each once")
	assert.NilError(t, restarted.Flush(ctx))
	assert.Check(t, is.Equal(configs(engine, kindEvent), 0), "the leftovers are removed")
	assert.NilError(t, restarted.Record(ctx, change("carol", "stacks/s3")))
	assert.NilError(t, restarted.Flush(ctx))

	final := newTestLog(engine, c)
	assert.NilError(t, final.Load(ctx))
	got, _ = final.List(Query{}, nil)
	assert.Check(t, is.DeepEqual(ids(got), []string{"stacks/s3", "stacks/s2", "stacks/s1", "stacks/s0"}))
}

// A manager killed after a single event is written and before any flush, at every write
// of a flush in turn, loses no event and duplicates none.
func TestAFlushFailingAtAnyWriteLosesNothing(t *testing.T) {
	ctx := context.Background()
	for fail := 1; fail <= 6; fail++ {
		t.Run(fmt.Sprintf("write %d", fail), func(t *testing.T) {
			engine, c := swarmtest.NewEngine(), newClock()
			l := newTestLog(engine, c)
			assert.NilError(t, l.Record(ctx, change("bob", "stacks/a")))
			assert.NilError(t, l.Flush(ctx)) // segment 1 exists: the next flush replaces a version
			assert.NilError(t, l.Record(ctx, change("bob", "stacks/b")))
			l.Note(Event{Actor: "eve", Action: "stack.inspect", Object: "stacks/bank", Result: ResultDenied, Status: 404})
			engine.FailAt = engine.Writes + fail
			_ = l.Flush(ctx)
			engine.FailAt = 0

			restarted := newTestLog(engine, c)
			assert.NilError(t, restarted.Load(ctx))
			got, _ := restarted.List(Query{}, nil)
			objects := ids(got)
			assert.Check(t, is.Contains(objects, "stacks/a"))
			assert.Check(t, is.Contains(objects, "stacks/b"), "an acknowledged change is never lost")
			n := 0
			for _, o := range objects {
				if o == "stacks/b" {
					n++
				}
			}
			assert.Check(t, is.Equal(n, 1), "never twice: %v", objects)
		})
	}
}

// failingCreate is a store whose single-event writes fail.
type failingCreate struct {
	*persist.Store
	err error
}

func (f failingCreate) Create(context.Context, string, string, []byte, map[string]string) error {
	return f.err
}

func TestARecordThatCannotBeStoredIsKeptForTheNextFlush(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := New(Config{Objects: failingCreate{Store: persist.New(engine), err: errors.New("raft: no leader")}, Now: c.now})
	err := l.Record(ctx, change("bob", "stacks/shop"))
	assert.Check(t, is.ErrorContains(err, "raft: no leader"))
	assert.Check(t, is.ErrorContains(err, "kept for the next flush"))
	assert.NilError(t, l.Flush(ctx))
	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(ctx))
	got, _ := again.List(Query{}, nil)
	assert.Check(t, is.DeepEqual(ids(got), []string{"stacks/shop"}))
}

func TestNoteIsBatchedAndRepeatsOnlyCount(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	denied := Event{Source: "10.0.0.66", Action: "stack.list", Result: ResultDenied, Status: 401}
	for range 50 {
		l.Note(denied)
	}
	assert.Check(t, is.Equal(engine.Writes, 0), "nothing written before a flush")
	assert.NilError(t, l.Flush(ctx))
	assert.Check(t, is.Equal(configs(engine, kindEvent), 0), "batched events are never single configs")
	for range 10 {
		l.Note(denied) // within the minute: counted on the event already written
	}
	assert.NilError(t, l.Flush(ctx))
	c.advance(2 * coalesceWindow)
	l.Note(denied)
	assert.NilError(t, l.Flush(ctx))

	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(ctx))
	got, _ := again.List(Query{}, nil)
	assert.Assert(t, is.Len(got, 2))
	assert.Check(t, is.Equal(got[1].Count, 60))
	assert.Check(t, got[1].Last.After(got[1].Time))
	assert.Check(t, is.Equal(got[0].Count, 0), "a new minute, a new event")
}

func TestAFloodOfDistinctNotesIsBounded(t *testing.T) {
	ctx := context.Background()
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	for i := range maxPending + 500 {
		l.Note(Event{Action: "stack.inspect", Object: fmt.Sprintf("stacks/guess%d", i), Result: ResultDenied, Status: 404})
	}
	assert.NilError(t, l.Flush(ctx))
	got, _ := l.List(Query{Action: "audit"}, nil)
	assert.Assert(t, is.Len(got, 1))
	assert.Check(t, is.Equal(got[0].Action, "audit.dropped"))
	assert.Check(t, is.Equal(got[0].Count, 500))
}

func TestEventsAreSanitized(t *testing.T) {
	l := New(Config{Now: newClock().now})
	l.Note(Event{Action: "stack.inspect", Object: "stacks/" + strings.Repeat("é", 300) + "\nforged line", Result: ResultDenied})
	got, _ := l.List(Query{}, nil)
	assert.Assert(t, is.Len(got, 1))
	assert.Check(t, len(got[0].Object) <= maxField)
	assert.Check(t, !strings.ContainsAny(got[0].Object, "\n\r"))
	assert.Check(t, strings.HasSuffix(got[0].Object, "é"), "cut on a rune boundary")
}
