package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const agentKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// fakeDashboard takes reports; the rest of the interface is not called by the handler.
type fakeDashboard struct {
	Dashboard
	ingested []api.AgentReport
	refuse   error
}

func (f *fakeDashboard) Ingest(r api.AgentReport) error {
	if f.refuse != nil {
		return f.refuse
	}
	f.ingested = append(f.ingested, r)
	return nil
}

// agentServer is a ready server whose swarm has node n1, logging into logs.
func agentServer(t *testing.T, d Dashboard, logs *bytes.Buffer) *Server {
	store := state.New()
	assert.NilError(t, store.UpsertNodes(state.NewNode(swarm.Node{ID: "n1", Description: swarm.NodeDescription{Hostname: "node1"}})))
	s := New(Config{Store: store, Dashboard: d, AgentKey: []byte(agentKey), Log: slog.New(slog.NewTextHandler(logs, nil))})
	s.SetReady()
	return s
}

func postReport(s *Server, key string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, api.AgentReportPath, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func reportBody(t *testing.T, node string) io.Reader {
	data, err := json.Marshal(api.AgentReport{NodeID: node, Containers: []api.ContainerSample{{ContainerID: "c1"}, {ContainerID: "c2"}}})
	assert.NilError(t, err)
	return bytes.NewReader(data)
}

// metric is the line of /metrics for name{labels}, "" when there is none.
func metric(t *testing.T, s *Server, name string) string {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, name+" ") {
			return line
		}
	}
	return ""
}

func reports(t *testing.T, s *Server, node, result string) string {
	line := metric(t, s, fmt.Sprintf(`exos_agent_reports_total{node=%q,result=%q}`, node, result))
	_, value, _ := strings.Cut(line, " ")
	return value
}

func TestAgentReportAccepted(t *testing.T) {
	d := &fakeDashboard{}
	s := agentServer(t, d, &bytes.Buffer{})
	rec := postReport(s, agentKey, reportBody(t, "n1"))
	assert.Check(t, is.Equal(rec.Code, http.StatusNoContent))
	assert.Assert(t, is.Len(d.ingested, 1))
	assert.Check(t, is.Equal(d.ingested[0].NodeID, "n1"))
	assert.Check(t, is.Equal(reports(t, s, "n1", reportAccepted), "1"))
	assert.Check(t, is.Equal(metric(t, s, `exos_agent_report_containers{node="n1"}`), `exos_agent_report_containers{node="n1"} 2`))
}

func TestAgentReportWithoutDashboardIsCounted(t *testing.T) {
	s := agentServer(t, nil, &bytes.Buffer{})
	assert.Check(t, is.Equal(postReport(s, agentKey, reportBody(t, "n1")).Code, http.StatusNoContent))
	assert.Check(t, is.Equal(reports(t, s, "n1", reportAccepted), "1"))
}

func TestAgentReportWrongKey(t *testing.T) {
	d := &fakeDashboard{}
	var logs bytes.Buffer
	s := agentServer(t, d, &logs)
	for _, key := range []string{"", "bogus-key", agentKey + "0", agentKey[1:]} {
		rec := postReport(s, key, reportBody(t, "n1"))
		assert.Check(t, is.Equal(rec.Code, http.StatusUnauthorized), "key %q", key)
		assert.Check(t, key == "" || !strings.Contains(rec.Body.String(), key), "the key is not echoed")
	}
	assert.Check(t, is.Len(d.ingested, 0))
	assert.Check(t, is.Equal(reports(t, s, "", reportUnauthorized), "4"))
	assert.Check(t, !strings.Contains(logs.String(), agentKey[:16]) && !strings.Contains(logs.String(), "bogus-key"), logs.String())
}

func TestAgentReportWithoutKeyConfigured(t *testing.T) {
	s := New(Config{Store: state.New(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	assert.Check(t, is.Equal(postReport(s, "", reportBody(t, "n1")).Code, http.StatusUnauthorized))
	assert.Check(t, is.Equal(postReport(s, "anything", reportBody(t, "n1")).Code, http.StatusUnauthorized))
}

func TestAgentReportUnknownNode(t *testing.T) {
	for name, d := range map[string]Dashboard{
		"the dashboard refuses": &fakeDashboard{refuse: fmt.Errorf("node %q: %w", "stranger", api.ErrForbidden)},
		"without a dashboard":   nil,
	} {
		s := agentServer(t, d, &bytes.Buffer{})
		rec := postReport(s, agentKey, reportBody(t, "stranger"))
		assert.Check(t, is.Equal(rec.Code, http.StatusForbidden), name)
		assert.Check(t, is.Equal(reports(t, s, "unknown", reportUnknownNode), "1"), name)
	}
}

func TestAgentReportRefusedByDashboard(t *testing.T) {
	s := agentServer(t, &fakeDashboard{refuse: errors.New("the dashboard is full")}, &bytes.Buffer{})
	rec := postReport(s, agentKey, reportBody(t, "n1"))
	assert.Check(t, is.Equal(rec.Code, http.StatusUnprocessableEntity))
	assert.Check(t, is.Equal(reports(t, s, "n1", reportRefused), "1"))
}

func TestAgentReportBadBodies(t *testing.T) {
	d := &fakeDashboard{}
	s := agentServer(t, d, &bytes.Buffer{})
	huge := `{"nodeId":"n1","containers":[` + strings.Repeat(`{"containerId":"c"},`, maxReportBody/19) + `{}]}`
	for name, tc := range map[string]struct {
		body   string
		status int
	}{
		"oversized":     {huge, http.StatusRequestEntityTooLarge},
		"not JSON":      {"{", http.StatusBadRequest},
		"empty":         {"", http.StatusBadRequest},
		"unknown field": {`{"nodeId":"n1","extra":1}`, http.StatusBadRequest},
	} {
		rec := postReport(s, agentKey, strings.NewReader(tc.body))
		assert.Check(t, is.Equal(rec.Code, tc.status), name)
	}
	assert.Check(t, is.Len(d.ingested, 0))
	assert.Check(t, is.Equal(reports(t, s, "", reportBad), "4"))
}

func TestAgentReportWaitsForTheIndex(t *testing.T) {
	s := New(Config{Store: state.New(), AgentKey: []byte(agentKey), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	assert.Check(t, is.Equal(postReport(s, agentKey, reportBody(t, "n1")).Code, http.StatusServiceUnavailable))
}
