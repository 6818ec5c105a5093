package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// AuditLog is where the server writes the audit events of requests; audit.Log.API()
// implements it. Record returns once the event is durable; Note batches.
type AuditLog interface {
	Record(ctx context.Context, e api.AuditEvent) error
	Note(e api.AuditEvent)
	List(q api.AuditQuery, visible func(api.AuditEvent) bool) ([]api.AuditEvent, string)
}

// noAudit is the log of a server configured without one: it keeps nothing.
type noAudit struct{}

func (noAudit) Record(context.Context, api.AuditEvent) error { return nil }
func (noAudit) Note(api.AuditEvent)                          {}
func (noAudit) List(api.AuditQuery, func(api.AuditEvent) bool) ([]api.AuditEvent, string) {
	return []api.AuditEvent{}, ""
}

// auditRoute is what the audit events of one route share, worked out once when the
// route is registered.
type auditRoute struct {
	route  string // "METHOD PATTERN", "" for the catch-all
	action string // "stack.deploy"
	// verbInPath: the path's last segment is the action's verb, not part of the object.
	verbInPath bool
	// creates: a POST to a collection, whose new object the result names.
	creates bool
	// changes: the rule's action writes and the method is no read, so an acknowledged
	// request is Recorded before the answer; noted: the route changes no EXOS object but
	// its requests are events all the same (logging in and out), batched.
	changes, noted bool
	public         bool   // anyone may call it: the actor is who the request says it is
	path           string // the route's pattern without its method
	scope          scopeFunc
}

func newAuditRoute(route string) *auditRoute {
	rl := permissions[route]
	method, path, ok := strings.Cut(route, " ")
	if !ok { // the catch-all of unknown routes
		return &auditRoute{action: "api.unknown", scope: rl.scope}
	}
	ar := &auditRoute{route: route, path: path, scope: rl.scope, public: rl.action == authz.Public}
	ar.action, ar.verbInPath, ar.creates = actionOf(route)
	reads := method == http.MethodGet || method == http.MethodHead
	writes := rl.action != authz.Read && rl.action != authz.Self && rl.action != authz.Public
	ar.changes = writes && !reads // an admin's GET of the users changes nothing
	ar.noted = !writes && !reads
	return ar
}

// actionOf names a route's action: its nouns, singular, then a verb: the last path
// segment of a POST to an object ("stack.deploy", "catalog.refresh"), create for a POST
// to a collection, set for PUT, remove for DELETE, read for GET. A POST to a single
// segment that is no collection is its own action ("login", "logout").
func actionOf(route string) (action string, verbInPath, creates bool) {
	method, path, _ := strings.Cut(route, " ")
	segments := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	var nouns []string
	for _, s := range segments {
		if !strings.HasPrefix(s, "{") {
			nouns = append(nouns, s)
		}
	}
	last := segments[len(segments)-1]
	var verb string
	switch method {
	case http.MethodGet, http.MethodHead:
		verb = "read"
	case http.MethodPut:
		verb = "set"
	case http.MethodDelete:
		verb = "remove"
	case http.MethodPost:
		switch {
		case strings.HasPrefix(last, "{"):
			verb = "update"
		case strings.HasSuffix(last, "s"):
			verb, creates = "create", true
		case len(segments) == 1:
			return last, false, false
		default:
			verb, verbInPath = last, true
			nouns = nouns[:len(nouns)-1]
		}
	default:
		verb = strings.ToLower(method)
	}
	for i, n := range nouns {
		nouns[i] = singular(n)
	}
	return strings.Join(append(nouns, verb), "."), verbInPath, creates
}

func singular(noun string) string {
	if s, ok := strings.CutSuffix(noun, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(noun, "s")
}

// requestEvent is the audit event of one request, as wrap learns it.
type requestEvent struct {
	route *auditRoute
	event api.AuditEvent
}

// start begins the event of a request: its ID (also sent back), source, action and
// object. The object is the request's path, never its query or body.
func (ar *auditRoute) start(w http.ResponseWriter, r *http.Request) *requestEvent {
	object := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	if ar.verbInPath {
		object = object[:max(0, strings.LastIndexByte(object, '/'))]
	}
	if ar.noted && !ar.creates && !strings.Contains(object, "/") {
		object = "" // login, logout: the actor says it all
	}
	return &requestEvent{route: ar, event: api.AuditEvent{
		RequestID: requestID(w, r), Source: sourceOf(r), Action: ar.action, Route: ar.route, Object: object,
	}}
}

// audited reports whether a request that succeeds is an event: a change, a login.
func (e *requestEvent) audited() bool { return e.route.changes || e.route.noted }

// by names the caller, once authenticated.
func (e *requestEvent) by(p authz.Principal) { e.event.Actor = p.Name }

// beforeHandler keeps what the handler consumes or removes: for a public route the user
// the request names (its body is read once), for a removal the object's environment
// (a removed stack has none after). It runs once the body is bounded.
func (s *Server) beforeHandler(e *requestEvent, r *http.Request) {
	if !e.audited() {
		return
	}
	if e.event.Actor == "" && e.route.public {
		var body struct {
			Username string `json:"username"`
		}
		peekJSON(r, &body) // only the name: nothing else of the body is kept
		e.event.Actor = body.Username
	}
	if r.Method == http.MethodDelete {
		s.locate(e, r)
	}
}

// afterHandler finds the environment of any other object once the handler ran: a new
// stack or catalog is where the change put it, so a deploy that moved a stack is its
// new environment's event.
func (s *Server) afterHandler(e *requestEvent, r *http.Request) {
	if e.audited() && r.Method != http.MethodDelete {
		s.locate(e, r)
	}
}

// locate fills in the environment of the request's object: the first its route's scope
// finds, or the environment the path names.
func (s *Server) locate(e *requestEvent, r *http.Request) {
	if e.route.scope != nil {
		if envs := e.route.scope(s, r).envs; len(envs) > 0 {
			e.event.Env = envs[0]
		}
	} else if strings.HasPrefix(e.route.path, "/api/v1/environments/{name}") {
		e.event.Env = r.PathValue("name")
	}
}

// acknowledge audits a request that succeeded, before its answer: a change is stored
// durably (so no acknowledged change goes unrecorded), a login or logout is batched.
func (s *Server) acknowledge(ctx context.Context, e *requestEvent, out any, status int) error {
	if !e.audited() {
		return nil
	}
	e.event.Result, e.event.Status = api.AuditOK, status
	switch v := out.(type) {
	case api.DeployResult:
		e.event.Revision = v.Revision
	case api.Session:
		e.event.Actor = v.User
	}
	if name := createdName(out); e.route.creates && name != "" {
		e.event.Object += "/" + name
	}
	if e.route.noted {
		s.audit.Note(e.event)
		return nil
	}
	// A client that hangs up does not stop the event of the change it asked for.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := s.audit.Record(ctx, e.event); err != nil {
		s.log.Error("audit event not stored; the change is not acknowledged", "request", e.event.RequestID, "err", err)
		return api.Errorf(api.ErrUnavailable, "the change was made, but the manager could not store its audit event yet "+
			"(it keeps it and retries): check `docker exos audit ls` before you retry (request %s)", e.event.RequestID)
	}
	return nil
}

// recordTimeout bounds the wait for the Engine to store an event (Record retries).
const recordTimeout = 30 * time.Second

// createdName is the name or ID of the object a create made, from its answer.
func createdName(out any) string {
	switch v := out.(type) {
	case api.Environment:
		return v.Name
	case api.Catalog:
		return v.Name
	case api.HookSecret:
		return v.ID
	case api.User:
		return v.Name
	case api.Group:
		return v.Name
	case api.TokenSecret:
		return v.ID
	}
	return ""
}

// refused audits a request that failed: every denial (authentication, authorization,
// and the not-found of an object the caller may not see), and every failed change or
// login; batched, so a flood of them costs one event a minute each.
func (s *Server) refused(e *requestEvent, err error, denied bool) {
	if !denied && !e.audited() {
		return // a read that failed is no event
	}
	if denied && e.event.Actor == "" {
		// A caller that did not authenticate names no object: its refusals coalesce per
		// source and route, so a flood of them costs one event a minute, not one a path.
		e.event.Object = ""
	}
	e.event.Status = api.StatusOf(err)
	e.event.Result = api.AuditError
	if denied || e.event.Status == http.StatusUnauthorized || e.event.Status == http.StatusForbidden {
		e.event.Result = api.AuditDenied
	}
	s.audit.Note(e.event)
}

// validRequestID is what a client's request ID may be; anything else is replaced.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID is the request's ID: the client's, if sane, or a new one; the answer carries
// it, so a client can find the request's audit event.
func requestID(w http.ResponseWriter, r *http.Request) string {
	id := r.Header.Get(api.RequestIDHeader)
	if !validRequestID.MatchString(id) {
		var b [8]byte
		_, _ = rand.Read(b[:]) // never fails on Linux
		id = hex.EncodeToString(b[:])
	}
	w.Header().Set(api.RequestIDHeader, id)
	return id
}

// sourceOf is the address a request came from, without its port.
func sourceOf(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
