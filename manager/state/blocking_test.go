package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestBlockingQueryReturnsAtOnceWhenPastMinIndex(t *testing.T) {
	s := fixture(t)
	for _, minIndex := range []uint64{0, s.Index() - 1} {
		var tasks []*Task
		index, err := s.BlockingQuery(context.Background(), minIndex, time.Hour, func(ws memdb.WatchSet) error {
			tasks = s.TasksByStack(ws, "shop")
			return nil
		})
		assert.NilError(t, err)
		assert.Check(t, is.Equal(index, s.Index()))
		assert.Check(t, is.Len(tasks, 3))
	}
}

func TestBlockingQueryWakesOnWrite(t *testing.T) {
	s := fixture(t)
	start := s.Index()
	firstRun := make(chan struct{})
	var once sync.Once
	go func() {
		<-firstRun // the write lands while the query runs or waits; both must see it
		_ = s.UpsertTasks(NewTask(swarmTask("t9", "s2", "n2", 2), "shop"))
	}()
	var tasks []*Task
	index, err := s.BlockingQuery(context.Background(), start, 10*time.Second, func(ws memdb.WatchSet) error {
		tasks = s.TasksByStack(ws, "shop")
		once.Do(func() { close(firstRun) })
		return nil
	})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(index, start+1))
	assert.Check(t, is.DeepEqual(ids(tasks, taskID), []string{"t1", "t2", "t3", "t9"}))
}

func TestBlockingQueryTimesOut(t *testing.T) {
	s := fixture(t)
	start := s.Index()
	calls := 0
	index, err := s.BlockingQuery(context.Background(), start, 20*time.Millisecond, func(ws memdb.WatchSet) error {
		calls++
		s.TasksByStack(ws, "shop")
		return nil
	})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(index, start))
	assert.Check(t, is.Equal(calls, 1))
}

func TestBlockingQueryStopsWithContext(t *testing.T) {
	s := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.BlockingQuery(ctx, s.Index(), time.Hour, func(ws memdb.WatchSet) error {
		s.Nodes(ws)
		return nil
	})
	assert.Check(t, is.ErrorIs(err, context.Canceled))
}

func TestBlockingQueryReturnsQueryError(t *testing.T) {
	s := fixture(t)
	boom := errors.New("boom")
	_, err := s.BlockingQuery(context.Background(), s.Index(), time.Hour, func(memdb.WatchSet) error {
		return boom
	})
	assert.Check(t, is.ErrorIs(err, boom))
}

func TestConsistentQueryRepeatsARacedRun(t *testing.T) {
	s := fixture(t)
	start := s.Index()
	runs := 0
	index, err := s.consistentQuery(memdb.NewWatchSet(), func(ws memdb.WatchSet) error {
		runs++
		if runs == 1 { // a write lands while the query runs
			assert.NilError(t, s.DeleteTask("t1"))
		}
		s.TasksByStack(ws, "shop")
		return nil
	})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(runs, 2))
	assert.Check(t, is.Equal(index, start+1))
}
