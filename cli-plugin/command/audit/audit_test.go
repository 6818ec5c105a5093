package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeLog is a manager's audit route over n events, newest first, answering pages as the
// manager does: at most limit events, the cursor of the next page in a header.
type fakeLog struct {
	mu      sync.Mutex
	events  []api.AuditEvent
	queries []string
}

func newFakeLog(n int) *fakeLog {
	f := &fakeLog{}
	for i := n; i >= 1; i-- {
		f.events = append(f.events, api.AuditEvent{
			ID: strconv.Itoa(1000 + i), Time: t0.Add(time.Duration(i) * time.Minute), Actor: "bob", Source: "10.0.0.9",
			Action: "stack.deploy", Route: "POST /api/v1/stacks/{name}/deploy", Object: "stacks/shop", Env: "qa",
			Result: api.AuditOK, Status: 200, RequestID: "r" + strconv.Itoa(i), Revision: i,
		})
	}
	return f
}

func (f *fakeLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/audit" || r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, `{"error": "no"}`, http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	f.mu.Lock()
	f.queries = append(f.queries, q.Encode())
	f.mu.Unlock()
	limit, _ := strconv.Atoi(q.Get("limit"))
	page := []api.AuditEvent{}
	for _, e := range f.events {
		if before := q.Get("before"); before != "" && e.ID >= before {
			continue
		}
		if len(page) == limit {
			w.Header().Set(api.NextHeader, page[len(page)-1].ID)
			break
		}
		page = append(page, e)
	}
	_ = json.NewEncoder(w).Encode(page)
}

func run(t *testing.T, log *fakeLog, args ...string) (*test.FakeCli, error) {
	t.Helper()
	ts := httptest.NewServer(log)
	t.Cleanup(ts.Close)
	cli := test.NewFakeCli(api.NewClient(ts.URL, "tok", nil), nil)
	cmd := newListCommand(cli)
	cmd.SetArgs(args)
	cmd.SetOut(cli.OutBuffer())
	cmd.SetErr(cli.ErrBuffer())
	return cli, cmd.Execute()
}

func TestListFollowsThePages(t *testing.T) {
	log := newFakeLog(2500)
	cli, err := run(t, log, "--all", "--format", "{{.ID}}")
	assert.NilError(t, err)
	ids := strings.Fields(cli.OutBuffer().String())
	assert.Check(t, is.Len(ids, 2500))
	assert.Check(t, is.Equal(ids[0], "3500"), "newest first")
	assert.Check(t, is.Equal(ids[2499], "1001"))
	assert.Check(t, is.Len(log.queries, 3), "pages of 1000")
	assert.Check(t, is.Equal(log.queries[1], "before=2501&limit=1000"))

	log = newFakeLog(2500)
	cli, err = run(t, log, "--limit", "1200", "--format", "{{.ID}}")
	assert.NilError(t, err)
	assert.Check(t, is.Len(strings.Fields(cli.OutBuffer().String()), 1200))
	assert.Check(t, is.DeepEqual(log.queries, []string{"limit=1000", "before=2501&limit=200"}), "the last page asks only for what is left")

	log = newFakeLog(3)
	cli, err = run(t, log, "--format", "{{.ID}}")
	assert.NilError(t, err)
	assert.Check(t, is.Len(strings.Fields(cli.OutBuffer().String()), 3), "a short log ends at its last page")
	assert.Check(t, is.DeepEqual(log.queries, []string{"limit=100"}))
}

func TestListPassesTheFilters(t *testing.T) {
	log := newFakeLog(1)
	_, err := run(t, log, "--since", "2026-03-01", "--until", "2026-03-02T06:00:00Z", "--actor", "bob", "--env", "qa", "--action", "stack")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(log.queries, 1))
	assert.Check(t, is.Equal(log.queries[0],
		"action=stack&actor=bob&env=qa&limit=100&since=2026-03-01T00%3A00%3A00Z&until=2026-03-02T06%3A00%3A00Z"))

	_, err = run(t, log, "--since", "yesterday")
	assert.Check(t, is.ErrorContains(err, `--since "yesterday" is not a time`))
	_, err = run(t, log, "--limit", "0")
	assert.Check(t, is.ErrorContains(err, "--limit must be at least 1"))
}

func TestParseTimeTakesDurationsBeforeNow(t *testing.T) {
	got, err := parseTime("since", "90m", t0)
	assert.NilError(t, err)
	assert.Check(t, got.Equal(t0.Add(-90*time.Minute)))
	_, err = parseTime("since", "-1h", t0)
	assert.Check(t, err != nil, "a time in the future is no filter")
}

func TestListFormats(t *testing.T) {
	events := []api.AuditEvent{
		{ID: "3", Time: t0.Add(2 * time.Minute), Actor: "alertmanager:3f2a9c1e", Source: "10.0.0.7", Action: "service.scale",
			Object: "services/shop_web", Env: "qa", Result: api.AuditOK, Status: 200, Detail: "replicas 2 -> 3 (alert HighLatency)"},
		{ID: "2", Time: t0.Add(time.Minute), Source: "203.0.113.5", Action: "stack.deploy", Route: "POST /api/v1/stacks/{name}/deploy",
			Object: "stacks/shop", Result: api.AuditDenied, Status: 401, Count: 12, Last: t0.Add(90 * time.Second)},
		{ID: "1", Time: t0, Actor: "bob (token ci)", Source: "10.0.0.9", Action: "stack.deploy", Route: "POST /api/v1/stacks/{name}/deploy",
			Object: "stacks/shop", Env: "qa", Result: api.AuditOK, Status: 200, RequestID: "ci-42", Revision: 7},
	}
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{"table", nil, "audit-list.golden"},
		{"json", []string{"--format", "json"}, "audit-list-json.golden"},
		{"template", []string{"--format", "{{.Time}} {{.Actor}} {{.Action}} {{.Result}} {{.Detail}}"}, "audit-list-template.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeAudit: test.FakeAudit{
				ListAuditFunc: func(context.Context, api.AuditQuery) ([]api.AuditEvent, string, error) { return events, "", nil },
			}}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

// The JSON lines read back into the API's type, whole.
func TestJSONReadsBackAsEvents(t *testing.T) {
	log := newFakeLog(2)
	cli, err := run(t, log, "--format", "json")
	assert.NilError(t, err)
	lines := strings.Split(strings.TrimSpace(cli.OutBuffer().String()), "\n")
	assert.Assert(t, is.Len(lines, 2))
	var e api.AuditEvent
	assert.NilError(t, json.Unmarshal([]byte(lines[0]), &e))
	assert.Check(t, is.DeepEqual(e, log.events[0]))
}
