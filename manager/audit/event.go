package audit

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Results of an event.
const (
	ResultOK     = "ok"     // the change was made
	ResultDenied = "denied" // authentication or authorization refused the request
	ResultError  = "error"  // the request was allowed but failed; Status says how
)

// Event is one audit event. The server fills what it knows; Record and Note set ID and
// Time when they are empty.
type Event struct {
	// ID orders events: the time in nanoseconds, then a random suffix. Pages are cut by it.
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Actor is who made the request: a user, "user (token NAME)", "alertmanager:<hook
	// id>"; "" for a caller that did not authenticate.
	Actor string `json:"actor,omitempty"`
	// Source is the address the request came from.
	Source string `json:"source,omitempty"`
	// Action names what was done or tried: "stack.deploy", "hook.rotate", "login"...
	Action string `json:"action"`
	// Route is the API route the request matched, "METHOD PATTERN", if any.
	Route string `json:"route,omitempty"`
	// Object is what the action was on, as a path: "stacks/shop",
	// "environments/qa/nodes/node1", "services/shop_web".
	Object string `json:"object,omitempty"`
	// Env is the environment of the object ("" for none, or a global action).
	Env    string `json:"env,omitempty"`
	Result string `json:"result"`
	// Status is the HTTP status the request was answered with.
	Status    int    `json:"status,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// Revision is the stack revision the change made, if it made one.
	Revision int `json:"revision,omitempty"`
	// Detail adds what the object does not say: "replicas 2 -> 3 (alert HighLatency)".
	Detail string `json:"detail,omitempty"`
	// Count is how many identical batched events this one stands for, from Time to Last
	// (0: just this one).
	Count int       `json:"count,omitempty"`
	Last  time.Time `json:"last,omitzero"`
}

// maxField bounds every string of an event, so that no request can make one large.
const maxField = 256

// sanitized returns e with every string cut to maxField bytes (on a rune boundary) and
// control characters replaced, so an event stays one readable line.
func (e Event) sanitized() Event {
	for _, f := range []*string{&e.Actor, &e.Source, &e.Action, &e.Route, &e.Object, &e.Env, &e.Result, &e.RequestID, &e.Detail} {
		*f = clean(*f)
	}
	return e
}

func clean(s string) string {
	if len(s) > maxField {
		cut := maxField
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// newID is an event ID for time t: ordered by time, unique by its random suffix, and
// short enough for a config name.
func newID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux (getrandom)
	return fmt.Sprintf("%019d-%08x", t.UnixNano(), binary.BigEndian.Uint32(b[:]))
}

// coalesceKey identifies batched events that are the same but for their time.
func (e Event) coalesceKey() string {
	return strings.Join([]string{e.Actor, e.Source, e.Action, e.Route, e.Object, e.Env, e.Result, strconv.Itoa(e.Status), e.Detail}, "\x00")
}

// times is how many requests the event stands for.
func (e Event) times() int { return max(e.Count, 1) }
