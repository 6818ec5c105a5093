package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

func TestAuditListShowsWhatTheCallerMaySee(t *testing.T) {
	log := &fakeAudit{events: []api.AuditEvent{
		{ID: "3", Action: "stack.deploy", Env: "qa"}, {ID: "2", Action: "stack.deploy", Env: "prod"}, {ID: "1", Action: "user.create"},
	}}
	list := func(p authz.Principal, query string) ([]string, string, int) {
		s := newAuditedServer(fixedCaller(p), log)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/audit"+query, nil))
		var events []api.AuditEvent
		_ = json.NewDecoder(rec.Body).Decode(&events)
		var ids []string
		for _, e := range events {
			ids = append(ids, e.ID)
		}
		return ids, rec.Header().Get(api.NextHeader), rec.Code
	}
	ids, next, _ := list(authz.Principal{Name: "alice", User: "alice", Admin: true}, "?actor=bob&limit=2&since=2026-03-01T00:00:00Z")
	assert.Check(t, is.DeepEqual(ids, []string{"3", "2", "1"}))
	assert.Check(t, is.Equal(next, "cursor-1"))
	assert.Check(t, is.Equal(log.query.Actor, "bob"))
	assert.Check(t, is.Equal(log.query.Limit, 2))
	assert.Check(t, log.query.Since.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))

	owner := authz.Principal{Name: "carol", User: "carol", Roles: map[string]authz.Role{"qa": authz.RoleOwner, "prod": authz.RoleMember}}
	ids, _, _ = list(owner, "")
	assert.Check(t, is.DeepEqual(ids, []string{"3"}), "an owner sees its environment's events, a member none")
	owner.ReadOnly = true
	ids, _, _ = list(owner, "")
	assert.Check(t, is.DeepEqual(ids, []string{"3"}), "reading the log is a read")
	ids, _, code := list(authz.Principal{Name: "dave", User: "dave", Roles: map[string]authz.Role{"qa": authz.RoleMember}}, "")
	assert.Check(t, is.Equal(code, http.StatusOK))
	assert.Check(t, is.Len(ids, 0))

	_, _, code = list(authz.Principal{Name: "alice", User: "alice", Admin: true}, "?since=yesterday")
	assert.Check(t, is.Equal(code, http.StatusBadRequest))
}
