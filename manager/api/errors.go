package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Error is an error answer from the manager.
type Error struct {
	StatusCode int
	Message    string
	Problems   []Problem
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	lines := []string{e.Message}
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// String formats a problem as "file:line: key: message", leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

func decodeError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body ErrorBody
	if err := json.Unmarshal(raw, &body); err != nil || body.Error == "" {
		body.Error = strings.TrimSpace(string(raw))
		if body.Error == "" {
			body.Error = resp.Status
		}
	}
	return &Error{StatusCode: resp.StatusCode, Message: body.Error, Problems: body.Problems}
}

// Sentinel errors shared by the manager and its clients. The manager wraps them (%w) and
// answers with their status; a client's *Error matches them with errors.Is.
var (
	// ErrInvalid: the request can never succeed as sent (400).
	ErrInvalid = errors.New("invalid request")
	// ErrUnauthorized: missing, wrong or revoked token (401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the caller may see the object but not do this to it (403). What a
	// caller may not see at all answers ErrNotFound, as if it did not exist.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the stack, revision, environment or node does not exist (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request clashes with the current state (409).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the manager is not ready yet or Docker is unreachable (503).
	ErrUnavailable = errors.New("unavailable")
	// ErrTooLarge: the request body is over the limit (413).
	ErrTooLarge = errors.New("request too large")
	// ErrTooManyRequests: the caller is over its rate limit (429).
	ErrTooManyRequests = errors.New("too many requests")
	// ErrUnprocessable: the request is well formed but names what does not exist
	// elsewhere, such as a tag the registry does not have (422).
	ErrUnprocessable = errors.New("unprocessable")
	// ErrBadGateway: a server the manager needs, such as an image registry, did not
	// answer or answered wrongly (502); the caller may retry later.
	ErrBadGateway = errors.New("bad gateway")
)

var statusOf = map[error]int{
	ErrInvalid:         http.StatusBadRequest,
	ErrUnauthorized:    http.StatusUnauthorized,
	ErrForbidden:       http.StatusForbidden,
	ErrNotFound:        http.StatusNotFound,
	ErrConflict:        http.StatusConflict,
	ErrUnavailable:     http.StatusServiceUnavailable,
	ErrTooLarge:        http.StatusRequestEntityTooLarge,
	ErrTooManyRequests: http.StatusTooManyRequests,
	ErrUnprocessable:   http.StatusUnprocessableEntity,
	ErrBadGateway:      http.StatusBadGateway,
}

// StatusOf returns the HTTP status for err: the status of the first sentinel it wraps, or of
// an *Error it wraps, else 500.
func StatusOf(err error) int {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	for sentinel, status := range statusOf {
		if errors.Is(err, sentinel) {
			return status
		}
	}
	return http.StatusInternalServerError
}

// Is makes errors.Is(err, ErrNotFound) true for a 404 answer, and so on.
func (e *Error) Is(target error) bool {
	status, ok := statusOf[target]
	return ok && status == e.StatusCode
}

// Errorf formats an error of one of the kinds above: errors.Is(err, kind) holds and the
// status follows, but the message is only what format says, without the kind's own text.
func Errorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, err: fmt.Errorf(format, args...)}
}

type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }
