package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

// auditDeliveries stores, before the delivery is answered, one event for each service a
// delivery scaled, as the hook's actor. Deliveries that change nothing are only in the
// scaling history, and refused ones only counted (hook ls), so that a flood of bad
// tokens writes nothing.
func (s *Server) auditDeliveries(r *http.Request, requestID string, resp api.HookResponse) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	for _, d := range resp.Decisions {
		if d.Decision != api.DecisionApplied {
			continue
		}
		var env string
		if d.Stack != "" {
			env, _ = s.stacks.Env(d.Stack)
		}
		e := api.AuditEvent{
			Time: d.Time, Actor: d.Actor, Source: sourceOf(r), Action: "service.scale", Route: r.Pattern,
			Object: "services/" + d.Service, Env: env, Result: api.AuditOK, Status: http.StatusOK, RequestID: requestID,
			Detail: fmt.Sprintf("replicas %d -> %d", d.From, d.To),
		}
		if d.Alert != "" {
			e.Detail += " (alert " + d.Alert + ")"
		}
		if err := s.audit.Record(ctx, e); err != nil {
			s.log.Error("audit event of a scaling not stored", "request", requestID, "err", err)
			return api.Errorf(api.ErrUnavailable, "service %s was scaled, but the manager could not store its audit event yet (it keeps it and retries)", d.Service)
		}
	}
	return nil
}
