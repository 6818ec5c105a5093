//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestDashboardWatchKeysAndReconnects runs the real `docker exos dashboard --watch` in a
// pseudo-terminal against a stub manager, which holds each state as long as the test
// needs: a stream that breaks and cannot be opened again shows the view reconnecting,
// and live again once it can; e shows the next environment, from its own stream; q quits.
func TestDashboardWatchKeysAndReconnects(t *testing.T) {
	stub := &dashboardStub{down: make(chan struct{}), up: make(chan struct{})}
	srv := httptest.NewServer(stub)
	defer srv.Close()
	cmd := exec.Command("docker", "exos", "dashboard", "--watch")
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+pluginConfig(t, buildDir(t)), "EXOS_MANAGER="+srv.URL, "EXOS_TOKEN=t", "TERM=xterm-256color")
	s := startCommandScreen(t, cmd)

	s.waitFor(t, 0, regexp.MustCompile(`^stub-host\s+ready\b.*█$`), time.Minute)
	s.waitFor(t, 0, regexp.MustCompile(`^live\s+e/tab`), time.Minute)
	mark := s.mark()
	close(stub.down) // the stream ends, and the stub answers 503 until up
	s.waitFor(t, mark, regexp.MustCompile(`^connection to the manager lost \(.*\): reconnecting…`), time.Minute)
	mark = s.mark()
	close(stub.up)
	s.waitFor(t, mark, regexp.MustCompile(`^live\s+e/tab`), time.Minute)

	mark = s.mark()
	_, err := s.tty.Write([]byte("e"))
	assert.NilError(t, err)
	s.waitFor(t, mark, regexp.MustCompile(`^EXOS dashboard · environment prod \(2/3\)\s+updated`), time.Minute)
	s.waitFor(t, mark, regexp.MustCompile(`^Environments 1 · Stacks 0`), time.Minute) // prod's own document
	s.quit(t)
	assert.Check(t, is.DeepEqual(stub.envs(), []string{"", "", "prod"}))
}

// dashboardStub answers the environments and the dashboard stream: one document for
// the environment asked (Environments counts 1 for one environment, 2 for all).
type dashboardStub struct {
	down, up chan struct{}

	mu    sync.Mutex
	asked []string // the env of each stream opened
}

func (s *dashboardStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/environments":
		fmt.Fprint(w, `[{"name":"prod"},{"name":"qa"}]`)
	case "/api/v1/dashboard/events":
		s.stream(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *dashboardStub) stream(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.down:
		select {
		case <-s.up:
		default:
			http.Error(w, `{"error":"restarting"}`, http.StatusServiceUnavailable)
			return
		}
	default:
	}
	env := r.URL.Query().Get("env")
	s.mu.Lock()
	s.asked = append(s.asked, env)
	s.mu.Unlock()
	now := time.Now()
	d := api.Dashboard{Time: now, Env: env, Counters: api.DashboardCounters{Environments: 2, Hosts: api.HostCounts{Total: 1, Ready: 1}},
		Timeline: []api.HostTimeline{{Hostname: "stub-host", Segments: []api.HostSegment{{State: api.HostReady, From: now.Add(-time.Hour)}}}}}
	if env != "" {
		d.Counters.Environments = 1
	}
	data, _ := json.Marshal(d)
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.DashboardEvent, data)
	w.(http.Flusher).Flush()
	select {
	case <-s.up: // a stream opened once the manager is back lasts
		<-r.Context().Done()
	default:
		select {
		case <-r.Context().Done():
		case <-s.down: // a stream that was open when the manager went away ends
		}
	}
}

func (s *dashboardStub) envs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{}, s.asked...)
}
