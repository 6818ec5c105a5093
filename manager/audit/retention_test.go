package audit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fill notes n distinct events, flushing every segment's worth.
func fill(t *testing.T, l *Log, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		l.Note(Event{Actor: "bob", Action: "stack.inspect", Object: fmt.Sprintf("stacks/s%05d", i), Result: ResultDenied, Status: 403})
		if (i-from+1)%segmentEvents == 0 {
			assert.NilError(t, l.Flush(context.Background()))
		}
	}
	assert.NilError(t, l.Flush(context.Background()))
}

func TestSegmentsCloseAtTheirSize(t *testing.T) {
	engine, c := swarmtest.NewEngine(), newClock()
	l := newTestLog(engine, c)
	fill(t, l, 0, 2*segmentEvents+10)
	assert.Check(t, is.Equal(configs(engine, kindSegment), 3))

	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(context.Background()))
	got, _ := again.List(Query{Limit: MaxLimit}, nil)
	assert.Check(t, is.Len(got, MaxLimit))
	fill(t, again, 2*segmentEvents+10, 1)
	assert.Check(t, is.Equal(configs(engine, kindSegment), 3), "the open segment takes the next event")
}

func TestRetentionDropsOldSegments(t *testing.T) {
	engine, c := swarmtest.NewEngine(), newClock()
	l := New(Config{Objects: persist.New(engine), Now: c.now, Retention: 90 * 24 * time.Hour})
	fill(t, l, 0, segmentEvents) // segment 1, full
	c.advance(60 * 24 * time.Hour)
	fill(t, l, segmentEvents, segmentEvents) // segment 2, full
	c.advance(40 * 24 * time.Hour)
	fill(t, l, 2*segmentEvents, 1) // segment 3, open; segment 1 is now 100 days old

	assert.Check(t, is.Equal(configs(engine, kindSegment), 2))
	got, _ := l.List(Query{Limit: MaxLimit}, nil)
	assert.Check(t, is.Len(got, segmentEvents+1))
	assert.Check(t, is.Equal(got[len(got)-1].Object, fmt.Sprintf("stacks/s%05d", segmentEvents)), "the oldest left is segment 2's first")

	c.advance(365 * 24 * time.Hour)
	assert.NilError(t, l.Flush(context.Background()))
	assert.Check(t, is.Equal(configs(engine, kindSegment), 1), "the open segment is never dropped")
}

func TestRetentionBoundsTheSize(t *testing.T) {
	engine, c := swarmtest.NewEngine(), newClock()
	probe := Event{Actor: "bob", Action: "stack.inspect", Object: "stacks/s00000", Result: ResultDenied, Status: 403}
	size := int64(eventSize(New(Config{Now: c.now}).stamp(probe)))
	l := New(Config{Objects: persist.New(engine), Now: c.now, MaxBytes: 3 * segmentEvents * size / 2})
	fill(t, l, 0, 4*segmentEvents+1) // four full segments and one open

	assert.Check(t, is.Equal(configs(engine, kindSegment), 2), "the last full segment and the open one are under the bound, with one more over it")
	var total int
	for _, s := range l.segments {
		total += s.bytes
	}
	assert.Check(t, int64(total) <= l.maxBytes, "%d bytes kept, bound %d", total, l.maxBytes)
	again := newTestLog(engine, c)
	assert.NilError(t, again.Load(context.Background()))
	got, _ := again.List(Query{Limit: MaxLimit}, nil)
	assert.Check(t, is.Len(got, segmentEvents+1))
}
