package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestWatchDashboardReportsALostStream checks that a stream the manager closes is opened
// again, that lost hears of it once, and that the caller's error ends the watch.
func TestWatchDashboardReportsALostStream(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := conns.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "event: %s\ndata: {\"env\":\"conn%d\"}\n\n", DashboardEvent, n)
		w.(http.Flusher).Flush()
		if n > 1 {
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "t", nil)
	done := errors.New("seen enough")
	var envs []string
	var lost []error
	err := c.WatchDashboardReporting(context.Background(), DashboardQuery{}, func(d Dashboard) error {
		envs = append(envs, d.Env)
		if len(envs) == 2 {
			return done
		}
		return nil
	}, func(err error) { lost = append(lost, err) })
	if !errors.Is(err, done) {
		t.Errorf("watch returned %v, want the caller's error", err)
	}
	if fmt.Sprint(envs) != "[conn1 conn2]" {
		t.Errorf("documents %v, want one from each connection", envs)
	}
	if len(lost) != 1 || lost[0].Error() != "the manager closed the stream" {
		t.Errorf("lost heard %v, want the one closed stream", lost)
	}
}

func TestWatchDashboardStopsOnARefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error":"you may not see environment prod"}`)
	}))
	defer srv.Close()
	lost := 0
	err := NewClient(srv.URL, "t", nil).WatchDashboardReporting(context.Background(), DashboardQuery{Env: "prod"},
		func(Dashboard) error { return nil }, func(error) { lost++ })
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusForbidden {
		t.Errorf("watch returned %v, want the 403", err)
	}
	if lost != 0 {
		t.Errorf("a refusal was reported as a lost stream %d times", lost)
	}
}
