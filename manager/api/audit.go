package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// RequestIDHeader carries a request's ID: the manager takes a client's if it is sane (1 to
// 64 letters, digits, '-', '_', '.', ':'), makes one otherwise, and always answers with it.
// The audit event of the request has it.
const RequestIDHeader = "X-Request-ID"

// NextHeader carries the cursor of the next page of a paginated list: pass it back as
// AuditQuery.Before. Absent on the last page.
const NextHeader = "X-Exos-Next"

// Audit results.
const (
	AuditOK     = "ok"     // the change was made
	AuditDenied = "denied" // authentication or authorization refused the request
	AuditError  = "error"  // the request was allowed but failed; Status says how
)

// AuditEvent is one event of the audit log: who did what, when, from where, and with what
// result. It never holds a request body, a token or a password.
type AuditEvent struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Actor is a user, "user (token NAME)", "alertmanager:<hook id>"; "" for a caller
	// that did not authenticate.
	Actor string `json:"actor,omitempty"`
	// Source is the address (without port) the request came from.
	Source string `json:"source,omitempty"`
	// Action is what was done or tried: "stack.deploy", "hook.rotate", "service.scale"...
	Action string `json:"action"`
	// Route is the API route, "METHOD PATTERN", when the event is a request's.
	Route string `json:"route,omitempty"`
	// Object is what the action was on, as a path: "stacks/shop", "hooks/3f2a...".
	Object    string `json:"object,omitempty"`
	Env       string `json:"env,omitempty"`
	Result    string `json:"result"`
	Status    int    `json:"status,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// Revision is the stack revision the change made.
	Revision int    `json:"revision,omitempty"`
	Detail   string `json:"detail,omitempty"`
	// Count is how many identical requests the event stands for, from Time to Last, when
	// more than one (refused requests repeated within a minute are kept once).
	Count int       `json:"count,omitempty"`
	Last  time.Time `json:"last,omitzero"`
}

// AuditQuery selects audit events; empty fields match all.
type AuditQuery struct {
	Since, Until time.Time // Since included, Until excluded
	// Actor matches the actor, or a token of that user ("bob" matches "bob (token ci)").
	Actor string
	Env   string
	// Action matches the action or the actions under it ("stack" matches "stack.deploy").
	Action string
	// Before is the cursor of a page: the NextHeader of the previous one.
	Before string
	// Limit is the page size (the manager's default 100, at most 1000).
	Limit int
}

func (q AuditQuery) values() url.Values {
	v := url.Values{}
	for key, t := range map[string]time.Time{"since": q.Since, "until": q.Until} {
		if !t.IsZero() {
			v.Set(key, t.UTC().Format(time.RFC3339Nano))
		}
	}
	for key, s := range map[string]string{"actor": q.Actor, "env": q.Env, "action": q.Action, "before": q.Before} {
		if s != "" {
			v.Set(key, s)
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// ListAudit returns one page of the audit events the caller may see, newest first, and
// the cursor of the next page ("" on the last). Admins see every event; an environment's
// owners see that environment's.
func (c *Client) ListAudit(ctx context.Context, q AuditQuery) ([]AuditEvent, string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/api/v1/audit", q.values(), nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("cannot reach the EXOS manager at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return nil, "", decodeError(resp)
	}
	out := []AuditEvent{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, "", fmt.Errorf("failed to decode the manager's answer to GET /api/v1/audit: %w", err)
	}
	// The cursor comes in a header so that the body stays a list like every other.
	return out, resp.Header.Get(NextHeader), nil
}
