package audit

import (
	"strings"
	"time"
)

// Pages are at most MaxLimit events; DefaultLimit when the query does not say.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Query selects events. Empty fields match everything.
type Query struct {
	// Since and Until bound the events' time: Since included, Until excluded.
	Since, Until time.Time
	// Actor matches the actor, or a token of that user ("bob" matches "bob (token ci)").
	Actor string
	Env   string
	// Action matches the action, or the actions under it ("stack" matches "stack.deploy").
	Action string
	// Before is a cursor: only events older than the event with this ID.
	Before string
	Limit  int
}

func (q Query) matches(e Event) bool {
	switch {
	case !q.Since.IsZero() && e.Time.Before(q.Since):
		return false
	case !q.Until.IsZero() && !e.Time.Before(q.Until):
		return false
	case q.Env != "" && e.Env != q.Env:
		return false
	case q.Actor != "" && e.Actor != q.Actor && !strings.HasPrefix(e.Actor, q.Actor+" ("):
		return false
	case q.Action != "" && e.Action != q.Action && !strings.HasPrefix(e.Action, q.Action+"."):
		return false
	}
	return true
}

// List returns the newest events that match q and that visible accepts (nil accepts
// all), newest first, at most q.Limit of them, and the cursor of the next page: "" when
// there is none. visible runs under the log's lock; it must not call the log.
func (l *Log) List(q Query, visible func(Event) bool) ([]Event, string) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Event{}
	for i := len(l.events) - 1; i >= 0; i-- {
		e := l.events[i].Event
		if q.Before != "" && e.ID >= q.Before {
			continue
		}
		if !q.Since.IsZero() && e.Time.Before(q.Since) {
			break // IDs follow time: everything further is older
		}
		if !q.matches(e) || visible != nil && !visible(e) {
			continue
		}
		if len(out) == limit {
			return out, out[limit-1].ID
		}
		out = append(out, e)
	}
	return out, ""
}
