package web_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/web"
)

// fakeAPI serves the page (the real handler) and an API over a dataset, as the manager's
// routes answer: enough for the page's every call. Its clock moves 5 s with each event
// it streams, so the charts gain a sample per event.
type fakeAPI struct {
	t    testing.TB
	data dataset
	tick time.Duration // between two events of the stream

	mu     sync.Mutex
	now    time.Time
	down   map[int]bool
	pins   api.DashboardPins
	events int
}

const fakePassword, fakeSession, fakeToken = "alice-pw", "exos_session-alice", "exos_pasted-token"

// newFakeAPI starts the fake; real, if not nil, answers the dashboard and its event
// stream instead of the fake's.
func newFakeAPI(t testing.TB, data dataset, tick time.Duration, real http.Handler) (*fakeAPI, *httptest.Server) {
	now := time.Now().UTC().Truncate(5 * time.Second)
	data.start = now.Add(-2 * time.Minute)
	f := &fakeAPI{t: t, data: data, tick: tick, now: now, down: map[int]bool{}, pins: api.DashboardPins{Services: []string{}, Hosts: []string{}}}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.HandleFunc("POST /api/v1/login", f.login)
	for pattern, h := range map[string]func(*http.Request) any{
		"GET /api/v1/whoami":              func(*http.Request) any { return api.Whoami{Name: "alice", User: "alice"} },
		"GET /api/v1/environments":        func(*http.Request) any { return f.envs() },
		"GET /api/v1/environments/{name}": func(r *http.Request) any { return f.envs()[0] },
		"GET /api/v1/dashboard":           func(*http.Request) any { return f.dashboard() },
		"GET /api/v1/dashboard/pins":      func(*http.Request) any { return f.getPins() },
		"GET /api/v1/hosts":               func(*http.Request) any { return f.hosts() },
		"GET /api/v1/hosts/{id}":          f.host,
		"GET /api/v1/stacks": func(*http.Request) any {
			return []api.Stack{{Name: "shop1", Env: "dev", Services: 2, Revision: 3, State: api.RevisionApplied, Drift: []api.Drift{}}}
		},
		"GET /api/v1/stacks/{name}":            f.stack,
		"GET /api/v1/stacks/{name}/services":   func(*http.Request) any { return f.services() },
		"GET /api/v1/stacks/{name}/containers": func(*http.Request) any { return f.containers() },
		"GET /api/v1/stacks/{name}/revisions":  func(*http.Request) any { return f.revisions() },
		"GET /api/v1/stacks/{name}/diff":       f.diff,
		"GET /api/v1/usage":                    func(*http.Request) any { return f.usage() },
		"PUT /api/v1/dashboard/pins":           f.setPins,
		"GET /api/v1/dashboard/events":         nil,
	} {
		switch {
		case real != nil && strings.HasPrefix(pattern, "GET /api/v1/dashboard") && !strings.HasSuffix(pattern, "/pins"):
			mux.Handle(pattern, real)
			continue
		case h == nil:
			mux.Handle(pattern, f.authed(http.HandlerFunc(f.stream)))
			continue
		}
		mux.Handle(pattern, f.authed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, h(r)) })))
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return f, ts
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeAPI) authed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if tok != fakeSession && tok != fakeToken {
			writeJSON(w, http.StatusUnauthorized, api.ErrorBody{Error: "a valid EXOS token is required"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (f *fakeAPI) login(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.Username != "alice" || req.Password != fakePassword {
		writeJSON(w, http.StatusUnauthorized, api.ErrorBody{Error: "wrong user name or password"})
		return
	}
	writeJSON(w, http.StatusOK, api.Session{Token: fakeSession, User: "alice", ExpiresAt: time.Now().Add(time.Hour)})
}

// stream sends the dashboard at once, then one event per tick, each 5 s later.
func (f *fakeAPI) stream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher := w.(http.Flusher)
	for {
		body, _ := json.Marshal(f.dashboard())
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.DashboardEvent, body)
		flusher.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(f.tick):
		}
		f.mu.Lock()
		f.now = f.now.Add(api.AgentInterval)
		f.events++
		f.mu.Unlock()
	}
}

func (f *fakeAPI) setDown(node int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down[node] = true
}

func (f *fakeAPI) clock() (time.Time, map[int]bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now, maps.Clone(f.down)
}

func (f *fakeAPI) dashboard() api.Dashboard {
	now, down := f.clock()
	doc := f.data.dashboard(now, down)
	pins := f.getPins()
	doc.Pinned = api.DashboardPinned{Services: []api.ServiceLoad{}, Hosts: []api.HostLoad{}}
	for _, name := range pins.Services {
		doc.Pinned.Services = append(doc.Pinned.Services, api.ServiceLoad{Service: name, Stack: "shop1", Desired: 2, Running: 2, CPUPercent: 3, MemoryUsage: 100 << 20, History: f.data.history(3, now)})
	}
	for i := range f.data.nodes {
		if slices.Contains(pins.Hosts, f.data.nodeID(i)) {
			doc.Pinned.Hosts = append(doc.Pinned.Hosts, f.data.host(i, now, down))
		}
	}
	return doc
}
