package server

import (
	"net/http"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// agentEventsRoute is where agents post their nodes' task container events; like the
// reports, it is outside the permission table: no user calls it.
const agentEventsRoute = "POST " + api.AgentEventsPath

// maxEventsBody bounds a batch of events: an agent sends at most 500 events of ~250 bytes.
const maxEventsBody = 1 << 20

// TaskFeed keeps the task index current from what agents see; *swarm.Watcher implements it.
type TaskFeed interface {
	// TaskEvents takes container events of a node's tasks.
	TaskEvents(node string, evs []api.TaskEvent)
	// NodeReported takes the running tasks a node's report listed, read at at.
	NodeReported(node string, running []string, at time.Time)
}

// agentEvents takes a batch of a node's task events: the agent key, the body, then the
// node, which the swarm must know.
func (s *Server) agentEvents(w http.ResponseWriter, r *http.Request) {
	if !s.agentAdmitted(w, r, s.agentMetrics.events, maxEventsBody) {
		return
	}
	var batch api.AgentEvents
	if err := decode(r, &batch); err != nil {
		s.agentMetrics.events.WithLabelValues("", reportBad).Inc()
		s.writeError(w, r, err)
		return
	}
	if batch.NodeID == "" || s.store.NodeByID(nil, batch.NodeID) == nil {
		s.agentMetrics.events.WithLabelValues("unknown", reportUnknownNode).Inc()
		s.writeError(w, r, api.Errorf(api.ErrForbidden, "node %q is not in the swarm", batch.NodeID))
		return
	}
	if s.tasks != nil {
		s.tasks.TaskEvents(batch.NodeID, batch.Events)
	}
	s.agentMetrics.events.WithLabelValues(batch.NodeID, reportAccepted).Add(float64(len(batch.Events)))
	w.WriteHeader(http.StatusNoContent)
}

// runningTasks are the tasks of a report's containers.
func runningTasks(report api.AgentReport) []string {
	ids := make([]string, 0, len(report.Containers))
	for _, c := range report.Containers {
		if c.TaskID != "" {
			ids = append(ids, c.TaskID)
		}
	}
	return ids
}
