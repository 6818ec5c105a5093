package agent

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// eventStreams hands out one scripted stream per Events call and records the options.
type eventStreams struct {
	mu      sync.Mutex
	streams []chan events.Message
	errs    []chan error
	opened  []events.ListOptions
}

func (e *eventStreams) Events(_ context.Context, o events.ListOptions) (<-chan events.Message, <-chan error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	msgs, errs := make(chan events.Message), make(chan error, 1)
	e.streams, e.errs, e.opened = append(e.streams, msgs), append(e.errs, errs), append(e.opened, o)
	return msgs, errs
}

func (e *eventStreams) stream(i int) (chan events.Message, chan error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.streams[i], e.errs[i]
}

func (e *eventStreams) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.streams)
}

type batches struct {
	mu  sync.Mutex
	got []api.AgentEvents
}

func (b *batches) SendEvents(_ context.Context, batch api.AgentEvents) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, batch)
	return nil
}

func (b *batches) events() []api.TaskEvent {
	b.mu.Lock()
	defer b.mu.Unlock()
	var all []api.TaskEvent
	for _, batch := range b.got {
		all = append(all, batch.Events...)
	}
	return all
}

func containerEvent(action, task string, at time.Time, attrs map[string]string) events.Message {
	a := map[string]string{taskLabel: task, serviceIDLabel: "svc1"}
	for k, v := range attrs {
		a[k] = v
	}
	return events.Message{Type: events.ContainerEventType, Action: events.Action(action), Actor: events.Actor{ID: "c-" + task, Attributes: a}, TimeNano: at.UnixNano()}
}

func TestForwarderConvertsBatchesAndResumes(t *testing.T) {
	src, sent := &eventStreams{}, &batches{}
	f := &Forwarder{Engine: src, Sender: sent, NodeID: "node1", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Window: time.Millisecond, MaxBatch: 10}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.Run(ctx)

	poll.WaitOn(t, func(poll.LogT) poll.Result { return boolResult(src.count() == 1) })
	at := time.Unix(1700000000, 5)
	msgs, errs := src.stream(0)
	msgs <- containerEvent("start", "t1", at, nil)
	msgs <- containerEvent("health_status: unhealthy", "t1", at.Add(time.Second), nil)
	msgs <- containerEvent("die", "t1", at.Add(2*time.Second), map[string]string{"exitCode": "137"})
	msgs <- events.Message{Type: events.ContainerEventType, Action: "start", Actor: events.Actor{ID: "plain"}} // no task: skipped
	poll.WaitOn(t, func(poll.LogT) poll.Result { return boolResult(len(sent.events()) == 3) })
	got := sent.events()
	assert.Check(t, is.DeepEqual(got[0], api.TaskEvent{TaskID: "t1", ServiceID: "svc1", ContainerID: "c-t1", Action: "start", Time: at.UTC()}))
	assert.Check(t, is.Equal(got[1].Action, api.TaskEventHealth))
	assert.Check(t, is.Equal(got[1].Health, "unhealthy"))
	assert.Check(t, is.Equal(got[2].ExitCode, "137"))
	assert.Check(t, is.Equal(sent.got[0].NodeID, "node1"))

	errs <- errors.New("stream broke")
	poll.WaitOn(t, func(poll.LogT) poll.Result { return boolResult(src.count() == 2) }, poll.WithTimeout(5*time.Second))
	first, err := strconv.ParseFloat(src.opened[0].Since, 64)
	assert.Check(t, err)
	assert.Check(t, math.Abs(first-float64(time.Now().Unix())) < 60, "the first stream starts now: %s", src.opened[0].Since)
	assert.Check(t, is.Equal(src.opened[1].Since, "1700000002.000000005"), "the next one resumes at the last event")
	assert.Check(t, is.DeepEqual(src.opened[1].Filters.Get("label"), []string{taskLabel}))
}

func boolResult(ok bool) poll.Result {
	if ok {
		return poll.Success()
	}
	return poll.Continue("not yet")
}
