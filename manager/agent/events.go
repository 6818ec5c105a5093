package agent

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/system"
	"github.com/exos-platform/exos/manager/api"
)

// EventSource is the part of the Engine API the event forwarder reads.
type EventSource interface {
	Events(ctx context.Context, options events.ListOptions) (<-chan events.Message, <-chan error)
}

// EventSender posts batches of events; *Sender implements it.
type EventSender interface {
	SendEvents(ctx context.Context, batch api.AgentEvents) error
}

// Forwarder sends the node's task container events to the manager as they happen: the
// manager's task index follows them instead of listing every task of the swarm.
type Forwarder struct {
	Engine EventSource
	Sender EventSender
	NodeID string
	Log    *slog.Logger
	// Window is how long the forwarder waits for more events after the first one of a
	// batch: a deploy starts containers in bursts, and one post carries a burst.
	Window time.Duration
	// MaxBatch bounds a batch; a burst larger than it goes in several posts.
	MaxBatch int
	// Changed, when set, is told of every event, that the stream is open (true) and that
	// it broke (false): the agent's reports list the containers only when they changed.
	Changed func(following bool)
}

// taskEventFilter asks the Engine for the container events of Swarm tasks only.
func taskEventFilter() filters.Args {
	return filters.NewArgs(
		filters.Arg("type", string(events.ContainerEventType)),
		filters.Arg("label", taskLabel),
		filters.Arg("event", api.TaskEventStart),
		filters.Arg("event", api.TaskEventDie),
		filters.Arg("event", api.TaskEventHealth),
		filters.Arg("event", api.TaskEventOOM),
	)
}

// Run forwards events until ctx ends. When the Engine's stream breaks it is opened again
// from the last event's time, so nothing in between is lost; a batch the manager did not
// take is dropped, and the next report (which lists the node's running tasks) repairs it.
func (f *Forwarder) Run(ctx context.Context) {
	var since time.Time
	for ctx.Err() == nil {
		err := f.follow(ctx, &since)
		if ctx.Err() != nil {
			return
		}
		f.changed(false)
		f.Log.Warn("the Engine's event stream broke; opening it again", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// follow reads one stream until it breaks, posting batches; since moves with the events.
func (f *Forwarder) follow(ctx context.Context, since *time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if since.IsZero() {
		// From now, not from when the Engine gets the request: a container that starts
		// in between is in the stream, though the agent's list before it missed it.
		*since = time.Now()
	}
	opts := events.ListOptions{Filters: taskEventFilter(), Since: fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())}
	msgs, errs := f.Engine.Events(ctx, opts)
	f.changed(true)
	for {
		batch, err := f.collect(ctx, msgs, errs)
		if len(batch) > 0 {
			*since = batch[len(batch)-1].Time
			if err := f.Sender.SendEvents(ctx, api.AgentEvents{NodeID: f.NodeID, Events: batch}); err != nil && ctx.Err() == nil {
				f.Log.Warn("cannot forward task events; the next report repairs them", "events", len(batch), "err", err)
			}
		}
		if err != nil {
			return err
		}
	}
}

func (f *Forwarder) changed(following bool) {
	if f.Changed != nil {
		f.Changed(following)
	}
}

// collect waits for one event, then gathers those that follow within Window.
func (f *Forwarder) collect(ctx context.Context, msgs <-chan events.Message, errs <-chan error) ([]api.TaskEvent, error) {
	var batch []api.TaskEvent
	var window <-chan time.Time
	for len(batch) < f.MaxBatch {
		select {
		case <-ctx.Done():
			return batch, ctx.Err()
		case err := <-errs:
			return batch, err
		case <-window:
			return batch, nil
		case m := <-msgs:
			ev, ok := taskEvent(m)
			if !ok {
				continue
			}
			batch = append(batch, ev)
			f.changed(true)
			if window == nil {
				window = time.After(f.Window)
			}
		}
	}
	return batch, nil
}

// taskEvent converts an Engine container event of a Swarm task.
func taskEvent(m events.Message) (api.TaskEvent, bool) {
	attrs := m.Actor.Attributes
	ev := api.TaskEvent{
		TaskID: attrs[taskLabel], ServiceID: attrs[serviceIDLabel], ContainerID: m.Actor.ID,
		Action: string(m.Action), Time: time.Unix(0, m.TimeNano).UTC(),
	}
	// The Engine names a health event "health_status: healthy".
	if health, ok := strings.CutPrefix(ev.Action, api.TaskEventHealth+": "); ok {
		ev.Action, ev.Health = api.TaskEventHealth, health
	}
	if ev.Action == api.TaskEventDie {
		ev.ExitCode = attrs["exitCode"]
	}
	return ev, ev.TaskID != ""
}

// InfoSource reads the local Engine's info; *client.Client implements it.
type InfoSource interface {
	Info(ctx context.Context) (system.Info, error)
}

// SwarmNodeID waits until the local Engine is in a swarm and returns its node ID, asking
// again every interval; it fails only when ctx ends.
func SwarmNodeID(ctx context.Context, engine InfoSource, every time.Duration) (string, error) {
	for {
		info, err := engine.Info(ctx)
		if err == nil && info.Swarm.NodeID != "" {
			return info.Swarm.NodeID, nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(every):
		}
	}
}
