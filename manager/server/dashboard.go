package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

const (
	// minEventGap spaces the dashboard events of one stream: a burst of reports (every
	// agent every 5 s) is at most about four documents a second.
	minEventGap = 250 * time.Millisecond
	// heartbeatEvery sends a comment on a quiet stream, so proxies and clients keep it.
	heartbeatEvery = 15 * time.Second
	// streamFor ends a stream, which the client opens again: its caller is then
	// authenticated anew, so a revoked token or a lost role stops the updates.
	streamFor = 5 * time.Minute
)

// streamed is a handler result that writes its own answer (an event stream) once wrap
// authorized the request.
type streamed func(w http.ResponseWriter)

// dashboardRoutes registers the dashboard's routes. Each answers what the caller sees
// (principal.Sees): the dashboard filters every number and list itself.
func (s *Server) dashboardRoutes(api func(pattern string, h handlerFunc)) {
	api("GET /api/v1/dashboard", s.getDashboard)
	api("GET /api/v1/dashboard/events", s.dashboardEvents)
	api("GET /api/v1/dashboard/pins", s.getPins)
	api("PUT /api/v1/dashboard/pins", s.setPins)
	api("GET /api/v1/hosts", s.listHosts)
	api("GET /api/v1/hosts/{id}", s.inspectHost)
	api("GET /api/v1/usage", s.getUsage)
}

var errNoDashboard = api.Errorf(api.ErrUnavailable, "this manager runs without a dashboard")

func dashboardQuery(r *http.Request) api.DashboardQuery {
	return api.DashboardQuery{Env: r.URL.Query().Get("env")}
}

func (s *Server) getDashboard(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	p := principalOf(r)
	return s.dashboard.View(p.Sees, p.User, dashboardQuery(r))
}

// dashboardEvents streams the dashboard: the document at once, then again after each
// change, bursts coalesced to one document per minEventGap, and a comment on a quiet
// stream. A query the caller may not make answers as GET /api/v1/dashboard does.
func (s *Server) dashboardEvents(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	p, q := principalOf(r), dashboardQuery(r)
	changed := s.dashboard.Changed()
	first, err := s.dashboard.View(p.Sees, p.User, q)
	if err != nil {
		return nil, err
	}
	return streamed(func(w http.ResponseWriter) {
		rc := http.NewResponseController(w)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		heartbeat := time.NewTicker(heartbeatEvery)
		defer heartbeat.Stop()
		end := time.NewTimer(streamFor)
		defer end.Stop()
		doc, sent := first, time.Time{}
		for {
			if err := writeEvent(w, rc, doc); err != nil {
				return
			}
			sent = time.Now()
			if !awaitChange(r, rc, w, changed, heartbeat.C, end.C, sent) {
				return
			}
			changed = s.dashboard.Changed()
			if doc, err = s.dashboard.View(p.Sees, p.User, q); err != nil {
				return // the environment went: the client's next request says so
			}
		}
	}), nil
}

// awaitChange waits for changed, writing heartbeats, then until minEventGap after sent;
// false when the client left or the stream is to end.
func awaitChange(r *http.Request, rc *http.ResponseController, w http.ResponseWriter, changed <-chan struct{}, beat, end <-chan time.Time, sent time.Time) bool {
	ctx := r.Context()
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			return false
		case <-end:
			return false
		case <-beat:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return false
			}
		case <-changed:
			waiting = false
		}
	}
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Until(sent.Add(minEventGap))):
		return true
	}
}

func writeEvent(w http.ResponseWriter, rc *http.ResponseController, d api.Dashboard) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.DashboardEvent, data); err != nil {
		return err
	}
	return rc.Flush()
}

func (s *Server) getPins(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	return s.dashboard.Pins(principalOf(r).User), nil
}

func (s *Server) setPins(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	var pins api.DashboardPins
	if err := decode(r, &pins); err != nil {
		return nil, err
	}
	return s.dashboard.SetPins(r.Context(), principalOf(r).User, pins)
}

func (s *Server) listHosts(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	return s.dashboard.Hosts(principalOf(r).Sees), nil
}

func (s *Server) inspectHost(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	return s.dashboard.Host(principalOf(r).Sees, r.PathValue("id"))
}

func (s *Server) getUsage(r *http.Request) (any, error) {
	if s.dashboard == nil {
		return nil, errNoDashboard
	}
	v := r.URL.Query()
	return s.dashboard.Usage(principalOf(r).Sees, api.UsageQuery{Stack: v.Get("stack"), Service: v.Get("service"), Node: v.Get("node")})
}
