package audit

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// APILog is the log in the API's types, as the API server uses it (it declares the
// interface and imports no service). Event and api.AuditEvent have the same fields, so a
// change to one that the other lacks stops the build here.
type APILog struct{ log *Log }

// API returns the log in the API's types.
func (l *Log) API() APILog { return APILog{log: l} }

// Record stores the event of a change before the caller acknowledges it (Log.Record).
func (a APILog) Record(ctx context.Context, e api.AuditEvent) error {
	return a.log.Record(ctx, Event(e))
}

// Note records an event that may wait for the next flush (Log.Note).
func (a APILog) Note(e api.AuditEvent) { a.log.Note(Event(e)) }

// List returns a page of the events q selects and visible accepts, and the next page's
// cursor (Log.List).
func (a APILog) List(q api.AuditQuery, visible func(api.AuditEvent) bool) ([]api.AuditEvent, string) {
	query := Query{Since: q.Since, Until: q.Until, Actor: q.Actor, Env: q.Env, Action: q.Action, Before: q.Before, Limit: q.Limit}
	var accept func(Event) bool
	if visible != nil {
		accept = func(e Event) bool { return visible(api.AuditEvent(e)) }
	}
	events, next := a.log.List(query, accept)
	out := make([]api.AuditEvent, len(events))
	for i, e := range events {
		out[i] = api.AuditEvent(e)
	}
	return out, next
}
