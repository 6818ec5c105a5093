package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// listAudit answers a page of the audit events the caller may see, newest first, with
// the cursor of the next page in a header. The global admin sees every event; an
// environment's owners see its events; anyone else gets an empty list, as every list
// answers what the caller may see rather than refusing.
func (s *Server) listAudit(r *http.Request) (any, error) {
	q, err := auditQuery(r)
	if err != nil {
		return nil, err
	}
	events, next := s.audit.List(q, auditVisible(principalOf(r)))
	return paged{next: next, value: events}, nil
}

// auditVisible is what p sees of the audit log: nil (everything) for the global admin,
// the events of the environments it owns otherwise. A token scoped to an environment
// sees that environment's at most; a read-only token reads what its user may.
func auditVisible(p authz.Principal) func(api.AuditEvent) bool {
	if p.Admin && p.Env == "" {
		return nil
	}
	return func(e api.AuditEvent) bool {
		if e.Env == "" || p.Env != "" && e.Env != p.Env {
			return false
		}
		return p.Admin || p.Roles[e.Env] == authz.RoleOwner
	}
}

// auditQuery reads the filters: since and until (RFC 3339), actor, env, action, and the
// page: before (a cursor) and limit.
func auditQuery(r *http.Request) (api.AuditQuery, error) {
	v := r.URL.Query()
	q := api.AuditQuery{Actor: v.Get("actor"), Env: v.Get("env"), Action: v.Get("action"), Before: v.Get("before")}
	for key, t := range map[string]*time.Time{"since": &q.Since, "until": &q.Until} {
		if s := v.Get(key); s != "" {
			parsed, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return q, api.Errorf(api.ErrInvalid, "%s must be a time like 2026-03-01T12:00:00Z, got %q", key, s)
			}
			*t = parsed
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, api.Errorf(api.ErrInvalid, "limit must be a number from 1 to 1000, got %q", s)
		}
		q.Limit = n
	}
	return q, nil
}
