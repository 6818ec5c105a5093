package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
)

// handlerFunc is an API handler: it returns the value to encode as JSON, or an error that
// wrap turns into the right status and a JSON error body.
type handlerFunc func(r *http.Request) (any, error)

var errNoRoute = api.Errorf(api.ErrNotFound, "no such API route")

// maxBody bounds request bodies: compose files and their attachments, not images.
const maxBody = 8 << 20

// paged is a page of a list and the cursor of the next, which is sent in a header so
// that the body stays a list.
type paged struct {
	next  string
	value any
}

// indexed is a handler result read at an index of the state, which is sent in a header so
// clients can make blocking queries.
type indexed struct {
	index uint64
	value any
}

// wrap serves one API route: it authenticates and authorizes the caller, runs the
// handler, and audits the request (audit.go): exactly one event for every change,
// denial, login and logout, the event of an acknowledged change stored before the answer.
func (s *Server) wrap(route string, h handlerFunc) http.Handler {
	ar := newAuditRoute(route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			s.writeError(w, r, api.Errorf(api.ErrUnavailable, "the manager is starting"))
			return
		}
		ev := ar.start(w, r)
		p, err := s.authenticate(r, route)
		if err != nil {
			s.refused(ev, err, true)
			s.writeError(w, r, err)
			return
		}
		ev.by(p)
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := s.authorize(r, route, p); err != nil {
			s.locate(ev, r)
			s.refused(ev, err, true)
			s.writeError(w, r, err)
			return
		}
		s.beforeHandler(ev, r)
		r = r.WithContext(withPrincipal(r.Context(), p))
		out, err := h(r)
		s.afterHandler(ev, r)
		if err != nil {
			s.refused(ev, err, false)
			s.writeError(w, r, err)
			return
		}
		if stream, ok := out.(streamed); ok {
			stream(w) // a read: no audit event to acknowledge
			return
		}
		if ix, ok := out.(indexed); ok {
			w.Header().Set(api.IndexHeader, strconv.FormatUint(ix.index, 10))
			out = ix.value
		}
		if pg, ok := out.(paged); ok {
			if pg.next != "" {
				w.Header().Set(api.NextHeader, pg.next)
			}
			out = pg.value
		}
		status := http.StatusOK
		if out == nil {
			status = http.StatusNoContent
		}
		if err := s.acknowledge(r.Context(), ev, out, status); err != nil {
			s.writeError(w, r, err) // the event is kept for the next flush: no second one
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if out == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_ = json.NewEncoder(w).Encode(out)
	})
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := api.StatusOf(err)
	body := api.ErrorBody{Error: err.Error()}
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		body = api.ErrorBody{Error: apiErr.Message, Problems: apiErr.Problems}
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", hooks.Redact(r.URL.Path), "status", status, "err", err)
	}
	setRetryAfter(w, err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// decode reads a JSON request body into v: exactly one JSON value, no unknown fields. Every
// API route with a body reads it here, so every one answers the same way: 413 for a body
// over maxBody, 400 for anything that is not one well-formed value.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	// Trailing whitespace is fine; another value, or garbage, means the client sent
	// something other than what was decoded.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return bodyError(err)
		}
		return api.Errorf(api.ErrInvalid, "unexpected data after the JSON body")
	}
	return nil
}

// bodyError classifies a failure to decode a request body.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return api.Errorf(api.ErrTooLarge, "request body larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return api.Errorf(api.ErrInvalid, "the request body is empty; it must be a JSON object")
	}
	return api.Errorf(api.ErrInvalid, "malformed JSON body: %v", err)
}

// queryWait parses the blocking-query parameters ?index=N&wait=D.
func queryWait(r *http.Request) (uint64, time.Duration, error) {
	q := r.URL.Query()
	var index uint64
	var wait time.Duration
	var err error
	if v := q.Get("index"); v != "" {
		if index, err = strconv.ParseUint(v, 10, 64); err != nil {
			return 0, 0, api.Errorf(api.ErrInvalid, "index must be a number, got %q", v)
		}
	}
	if v := q.Get("wait"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil {
			return 0, 0, api.Errorf(api.ErrInvalid, "wait must be a duration like 30s, got %q", v)
		}
	}
	return index, wait, nil
}

// peekJSON decodes the request body into v for a scope, leniently, and puts the body back
// for the handler, whose own decode judges it.
func peekJSON(r *http.Request, v any) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		// Over the limit: the handler's decode meets the same error and answers 413.
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), failingReader{err}))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	_ = json.Unmarshal(data, v)
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
