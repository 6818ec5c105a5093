package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/prometheus/client_golang/prometheus"
)

// agentReportRoute is where agents post; like the hooks, it is outside the permission
// table: no user calls it.
const agentReportRoute = "POST " + api.AgentReportPath

// maxReportBody bounds an agent's report: a node with a thousand containers sends about
// 300 KiB.
const maxReportBody = 4 << 20

// Results of an agent's report, as counted on /metrics.
const (
	reportAccepted     = "accepted"
	reportUnauthorized = "unauthorized"
	reportBad          = "bad_request"
	reportUnknownNode  = "unknown_node"
	reportRefused      = "refused"
)

// agentMetrics count the agents' reports: by node once the key checked out (by the
// result alone before, so no caller can make up label values), and the containers in
// each node's last accepted report.
type agentMetrics struct {
	reports    *prometheus.CounterVec
	containers *prometheus.GaugeVec
	events     *prometheus.CounterVec
}

func newAgentMetrics(registry *prometheus.Registry) agentMetrics {
	m := agentMetrics{
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_agent_reports_total", Help: "Agents' reports by node and result (accepted, unauthorized, bad_request, unknown_node, refused).",
		}, []string{"node", "result"}),
		containers: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "exos_agent_report_containers", Help: "Containers in each node's last accepted agent report.",
		}, []string{"node"}),
	}
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exos_agent_task_events_total", Help: "Task container events agents forwarded, by node and result (accepted, unauthorized, bad_request, unknown_node); a refused batch counts once.",
	}, []string{"node", "result"})
	registry.MustRegister(m.reports, m.containers, m.events)
	return m
}

// agentReport takes a node's report: the agent key first (compared in constant time),
// then the body, then the node, which the swarm must know (403 otherwise, as the
// dashboard answers).
func (s *Server) agentReport(w http.ResponseWriter, r *http.Request) {
	if !s.agentAdmitted(w, r, s.agentMetrics.reports, maxReportBody) {
		return
	}
	var report api.AgentReport
	if err := decode(r, &report); err != nil {
		s.agentMetrics.reports.WithLabelValues("", reportBad).Inc()
		s.writeError(w, r, err)
		return
	}
	if err := s.ingest(report); err != nil {
		if errors.Is(err, api.ErrForbidden) {
			s.agentMetrics.reports.WithLabelValues("unknown", reportUnknownNode).Inc()
		} else {
			s.agentMetrics.reports.WithLabelValues(report.NodeID, reportRefused).Inc()
		}
		if api.StatusOf(err) >= 500 {
			err = api.Errorf(api.ErrUnprocessable, "report refused: %v", err)
		}
		s.writeError(w, r, err)
		return
	}
	if s.tasks != nil {
		s.tasks.NodeReported(report.NodeID, runningTasks(report), report.Time)
	}
	s.agentMetrics.reports.WithLabelValues(report.NodeID, reportAccepted).Inc()
	s.agentMetrics.containers.WithLabelValues(report.NodeID).Set(float64(len(report.Containers)))
	w.WriteHeader(http.StatusNoContent)
}

// ingest hands the report to the dashboard, which refuses a node the swarm does not know
// (api.ErrForbidden). Without a dashboard the reports are only counted, of known nodes.
func (s *Server) ingest(report api.AgentReport) error {
	if s.dashboard != nil {
		return s.dashboard.Ingest(report)
	}
	if report.NodeID == "" || s.store.NodeByID(nil, report.NodeID) == nil {
		return api.Errorf(api.ErrForbidden, "node %q is not in the swarm", report.NodeID)
	}
	return nil
}

// agentAdmitted reports whether an agent's post may be read: the manager is ready and
// the agent key checks out (otherwise it answers, and counts the refusal on counter).
// It bounds the body to limit.
func (s *Server) agentAdmitted(w http.ResponseWriter, r *http.Request, counter *prometheus.CounterVec, limit int64) bool {
	if !s.ready.Load() {
		s.writeError(w, r, api.Errorf(api.ErrUnavailable, "the manager is starting"))
		return false
	}
	if !s.agentKeyMatches(r) {
		counter.WithLabelValues("", reportUnauthorized).Inc()
		s.writeError(w, r, api.Errorf(api.ErrUnauthorized, "missing or wrong agent key"))
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return true
}

// agentKeyMatches compares the bearer token with the agent key in constant time (their
// hashes, so not even the length shows). Without a key every report is refused.
func (s *Server) agentKeyMatches(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || len(s.agentKey) == 0 {
		return false
	}
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256(s.agentKey)
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}
