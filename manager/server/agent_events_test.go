package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeFeed records what the handlers hand the watcher.
type fakeFeed struct {
	events  map[string][]api.TaskEvent
	running map[string][]string
}

func (f *fakeFeed) TaskEvents(node string, evs []api.TaskEvent) {
	f.events[node] = append(f.events[node], evs...)
}

func (f *fakeFeed) NodeReported(node string, running []string, _ time.Time) {
	f.running[node] = running
}

func feedServer(t *testing.T) (*Server, *fakeFeed) {
	store := state.New()
	assert.NilError(t, store.UpsertNodes(state.NewNode(swarm.Node{ID: "n1"})))
	feed := &fakeFeed{events: map[string][]api.TaskEvent{}, running: map[string][]string{}}
	s := New(Config{Store: store, Tasks: feed, AgentKey: []byte(agentKey), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	return s, feed
}

func postEvents(s *Server, key, body string) int {
	req := httptest.NewRequest(http.MethodPost, api.AgentEventsPath, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code
}

func TestAgentEventsReachTheWatcher(t *testing.T) {
	s, feed := feedServer(t)
	code := postEvents(s, agentKey, `{"nodeId":"n1","events":[{"taskId":"t1","serviceId":"s1","containerId":"c1","action":"die","exitCode":"1","time":"2026-12-04T10:00:00Z"}]}`)
	assert.Check(t, is.Equal(code, http.StatusNoContent))
	assert.Check(t, is.DeepEqual(feed.events["n1"], []api.TaskEvent{{TaskID: "t1", ServiceID: "s1", ContainerID: "c1", Action: "die", ExitCode: "1", Time: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}}))
	assert.Check(t, is.Equal(metric(t, s, `exos_agent_task_events_total{node="n1",result="accepted"}`), `exos_agent_task_events_total{node="n1",result="accepted"} 1`))
}

func TestAgentEventsRefused(t *testing.T) {
	s, feed := feedServer(t)
	for name, tc := range map[string]struct {
		key, body string
		status    int
	}{
		"wrong key":    {"bogus", `{"nodeId":"n1","events":[]}`, http.StatusUnauthorized},
		"not JSON":     {agentKey, `{`, http.StatusBadRequest},
		"unknown node": {agentKey, `{"nodeId":"stranger","events":[{"taskId":"t1"}]}`, http.StatusForbidden},
		"no node":      {agentKey, `{"events":[{"taskId":"t1"}]}`, http.StatusForbidden},
		"oversized":    {agentKey, `{"nodeId":"n1","events":[` + strings.Repeat(`{"taskId":"t"},`, maxEventsBody/14) + `{}]}`, http.StatusRequestEntityTooLarge},
	} {
		assert.Check(t, is.Equal(postEvents(s, tc.key, tc.body), tc.status), name)
	}
	assert.Check(t, is.Len(feed.events, 0), "nothing refused reaches the watcher")
}

func TestAgentReportTellsTheWatcherWhatRuns(t *testing.T) {
	s, feed := feedServer(t)
	body := `{"nodeId":"n1","containers":[{"containerId":"c1","taskId":"t1"},{"containerId":"c2","taskId":"t2"}]}`
	assert.Check(t, is.Equal(postReport(s, agentKey, bytes.NewBufferString(body)).Code, http.StatusNoContent))
	assert.Check(t, is.DeepEqual(feed.running["n1"], []string{"t1", "t2"}))
}
