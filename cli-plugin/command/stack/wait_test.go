package stack

import (
	"bytes"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestAssess(t *testing.T) {
	since := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tgt := target{Revision: 4, Changed: map[string]bool{"web_api": true, "web_db": true}, Since: since}
	now := since.Add(time.Minute)
	api2of2 := api.Service{Name: "web_api", Desired: 2, Running: 2, Revision: 4, UpdateState: "completed"}
	db1of1 := api.Service{Name: "web_db", Desired: 1, Running: 1, Revision: 4}
	failed := api.Container{Name: "web_api.2", Service: "web_api", Node: "node3", State: "failed", Current: true,
		Error: "task: non-zero exit (1)", ExitCode: 1, UpdatedAt: since.Add(time.Second)}

	testCases := []struct {
		name       string
		services   []api.Service
		containers []api.Container
		done       bool
		failed     string
		lines      []string
	}{
		{
			name:  "no services yet",
			lines: []string{"waiting for the stack's services to appear"},
		},
		{
			name:     "converged",
			services: []api.Service{db1of1, api2of2},
			done:     true,
			lines:    []string{"web_api 2/2 (converged)", "web_db 1/1 (converged)"},
		},
		{
			name:     "replicas starting",
			services: []api.Service{{Name: "web_api", Desired: 3, Running: 1, Revision: 4}, db1of1},
			lines:    []string{"web_api 1/3", "web_db 1/1 (converged)"},
		},
		{
			name:     "rolling update in progress",
			services: []api.Service{{Name: "web_api", Desired: 2, Running: 2, Revision: 4, UpdateState: "updating"}},
			lines:    []string{"web_api 2/2 (updating)"},
		},
		{
			name:     "manager has not seen the new revision yet",
			services: []api.Service{{Name: "web_api", Desired: 2, Running: 2, Revision: 3}},
			lines:    []string{"web_api 2/2 (waiting for revision 4)"},
		},
		{
			name:     "native service without revision label",
			services: []api.Service{{Name: "web_api", Desired: 1, Running: 1}},
			done:     true,
			lines:    []string{"web_api 1/1 (converged)"},
		},
		{
			name:       "task of the current spec failed",
			services:   []api.Service{{Name: "web_api", Desired: 2, Running: 1, Revision: 4}},
			containers: []api.Container{failed},
			failed:     "service web_api: task web_api.2 failed on node3: exit code 1: task: non-zero exit (1)",
			lines:      []string{"web_api 1/2"},
		},
		{
			name:     "task rejected before it had a node",
			services: []api.Service{{Name: "web_api", Desired: 1, Running: 0, Revision: 4}},
			containers: []api.Container{{Name: "web_api.1", Service: "web_api", State: "rejected", Current: true,
				Error: "No such image: api:9", UpdatedAt: since.Add(time.Second)}},
			failed: "service web_api: task web_api.1 rejected on no node: No such image: api:9",
			lines:  []string{"web_api 0/1"},
		},
		{
			name:       "failure before the deploy is history",
			services:   []api.Service{api2of2},
			containers: []api.Container{withTime(failed, since.Add(-time.Minute))},
			done:       true,
			lines:      []string{"web_api 2/2 (converged)"},
		},
		{
			name:       "failure of an old spec's task is ignored",
			services:   []api.Service{api2of2},
			containers: []api.Container{withCurrent(failed, false)},
			done:       true,
			lines:      []string{"web_api 2/2 (converged)"},
		},
		{
			name:     "update paused",
			services: []api.Service{{Name: "web_api", Desired: 2, Running: 1, Revision: 4, UpdateState: "paused", UpdateMessage: "update paused due to failure"}},
			failed:   "service web_api: update paused: update paused due to failure",
			lines:    []string{"web_api 1/2"},
		},
		{
			name:     "update rolled back",
			services: []api.Service{{Name: "web_api", Desired: 2, Running: 2, Revision: 4, UpdateState: "rollback_completed"}},
			failed:   "service web_api: update failed and was rolled back",
			lines:    []string{"web_api 2/2"},
		},
		{
			name:     "superseded by a later deploy",
			services: []api.Service{{Name: "web_api", Desired: 2, Running: 2, Revision: 5}},
			failed:   "revision 4 was superseded by revision 5 while waiting",
			lines:    []string{"web_api 2/2 (revision 5)"},
		},
		{
			name:     "a pending task says why, in Swarm's words",
			services: []api.Service{{Name: "web_api", Desired: 1, Running: 0, Revision: 4}},
			containers: []api.Container{{Name: "web_api.1", Service: "web_api", State: "pending", DesiredState: "running", Current: true,
				Error: "no suitable node (scheduling constraints not satisfied on 3 nodes)"}},
			lines: []string{"web_api 0/1 (web_api.1: no suitable node (scheduling constraints not satisfied on 3 nodes))"},
		},
		{
			name:     "a preparing task names its node",
			services: []api.Service{{Name: "web_api", Desired: 1, Running: 0, Revision: 4}},
			containers: []api.Container{{Name: "web_api.1", Service: "web_api", Node: "node2", State: "preparing", DesiredState: "running", Current: true,
				Message: "preparing"}},
			lines: []string{"web_api 0/1 (web_api.1 on node2: preparing)"},
		},
		{
			name:     "a task that exited crashed, whatever its code",
			services: []api.Service{{Name: "web_api", Desired: 1, Running: 1, Revision: 4}},
			containers: []api.Container{{Name: "web_api.1", Service: "web_api", Node: "node1", State: "complete", Current: true,
				Message: "finished", UpdatedAt: since.Add(time.Second)}},
			failed: "service web_api: task web_api.1 complete on node1: finished",
			lines:  []string{"web_api 1/1 (converged)"},
		},
		{
			name:     "old rollback on a service this deploy did not touch",
			services: []api.Service{{Name: "web_cache", Desired: 1, Running: 1, UpdateState: "rollback_completed"}},
			done:     true,
			lines:    []string{"web_cache 1/1 (converged)"},
		},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			st := assess(tc.services, tc.containers, tgt, stability{}, now)
			assert.Check(t, is.Equal(st.Done, tc.done))
			if tc.failed == "" {
				assert.Check(t, st.Failed)
			} else {
				assert.Check(t, is.Error(st.Failed, tc.failed))
			}
			assert.Check(t, is.DeepEqual(st.Lines, tc.lines))
		})
	}
}

// Converged means the tasks kept running for the monitor period, with none restarted.
func TestAssessWaitsOutTheMonitorPeriod(t *testing.T) {
	since := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tgt := newTarget(api.DeployResult{Revision: 2, Services: []api.ServiceChange{{Name: "web_api", Action: "updated"}}}, since)
	svc := []api.Service{{Name: "web_api", Desired: 1, Running: 1, Revision: 2, Monitor: 5 * time.Second}}
	task := func(id string) []api.Container {
		return []api.Container{{ID: id, Name: "web_api.1", Service: "web_api", State: "running", DesiredState: "running", Current: true}}
	}
	seen := stability{}
	st := assess(svc, task("t1"), tgt, seen, since.Add(time.Second))
	assert.Check(t, !st.Done)
	assert.Check(t, is.Equal(st.Recheck, 5*time.Second))
	assert.Check(t, is.DeepEqual(st.Lines, []string{"web_api 1/1 (running; converged if it stays up 5s)"}))

	st = assess(svc, task("t1"), tgt, seen, since.Add(4*time.Second))
	assert.Check(t, !st.Done)
	assert.Check(t, is.Equal(st.Recheck, 2*time.Second))

	// The task was replaced meanwhile: the window starts again.
	st = assess(svc, task("t2"), tgt, seen, since.Add(7*time.Second))
	assert.Check(t, !st.Done)
	st = assess(svc, task("t2"), tgt, seen, since.Add(12*time.Second))
	assert.Check(t, st.Done)
}

// A service the deploy kept (not in the revision) is not waited for.
func TestAssessIgnoresServicesOutsideTheRevision(t *testing.T) {
	tgt := newTarget(api.DeployResult{Revision: 3, Services: []api.ServiceChange{{Name: "web_api", Action: "unchanged"}}, NotInRevision: []string{"web_old"}}, time.Time{})
	st := assess([]api.Service{{Name: "web_api", Desired: 1, Running: 1, Revision: 3}, {Name: "web_old", Desired: 1, Running: 0, Revision: 1}}, nil, tgt, stability{}, time.Now())
	assert.Check(t, st.Done)
	assert.Check(t, is.DeepEqual(st.Lines, []string{"web_api 1/1 (converged)"}))
}

func withTime(c api.Container, at time.Time) api.Container { c.UpdatedAt = at; return c }

func withCurrent(c api.Container, current bool) api.Container { c.Current = current; return c }

func TestNewTargetLeavesRemovedServicesOut(t *testing.T) {
	tgt := newTarget(api.DeployResult{Revision: 2, Services: []api.ServiceChange{
		{Name: "web_api", Action: "created"}, {Name: "web_old", Action: "removed"},
	}}, time.Time{})
	assert.Check(t, is.DeepEqual(tgt.Changed, map[string]bool{"web_api": true}))
	assert.Check(t, is.DeepEqual(tgt.Members, map[string]bool{"web_api": true}))
}

func TestProgressPrinterOffTerminalPrintsChanges(t *testing.T) {
	var out bytes.Buffer
	p := newProgressPrinter(&out, false)
	p.show([]string{"web_api 0/2", "web_db 0/1"})
	p.show([]string{"web_api 0/2", "web_db 1/1 (converged)"})
	p.show([]string{"web_api 0/2", "web_db 1/1 (converged)"})
	p.show([]string{"web_api 2/2 (converged)", "web_db 1/1 (converged)"})
	assert.Check(t, is.Equal(out.String(),
		"web_api 0/2\nweb_db 0/1\nweb_db 1/1 (converged)\nweb_api 2/2 (converged)\n"))
}

func TestProgressPrinterOnTerminalRedraws(t *testing.T) {
	var out bytes.Buffer
	p := newProgressPrinter(&out, true)
	p.show([]string{"a 0/1", "b 0/1"})
	p.show([]string{"a 1/1 (converged)", "b 0/1"})
	assert.Check(t, is.Equal(out.String(), "a 0/1\nb 0/1\n\x1b[2A\x1b[Ja 1/1 (converged)\nb 0/1\n"))
}

// A global service has no task until Swarm makes them: 0/0 at first is not converged,
// and neither is it while its tasks are being rejected.
func TestAssessWaitsForAGlobalServicesTasks(t *testing.T) {
	since := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tgt := newTarget(api.DeployResult{Revision: 1, Services: []api.ServiceChange{{Name: "g_app", Action: "created"}}}, since)
	svc := []api.Service{{Name: "g_app", Mode: "global", Revision: 1, Monitor: 5 * time.Second}}
	seen := stability{}
	st := assess(svc, nil, tgt, seen, since.Add(100*time.Millisecond))
	assert.Check(t, !st.Done)
	assert.Check(t, is.DeepEqual(st.Lines, []string{"g_app 0/0 (running; converged if it stays up 5s)"}))

	rejected := withTime(api.Container{ID: "t1", Name: "g_app.n1", Service: "g_app", Node: "node1", State: "rejected",
		DesiredState: "ready", Error: "No such image: exos/nothing:1", Current: true}, since.Add(time.Second))
	svc[0].Desired = 1
	st = assess(svc, []api.Container{rejected}, tgt, seen, since.Add(2*time.Second))
	assert.Check(t, !st.Done)
	assert.Error(t, st.Failed, "service g_app: task g_app.n1 rejected on node1: No such image: exos/nothing:1")

	// A replicated service scaled to 0 has nothing to wait for.
	st = assess([]api.Service{{Name: "g_app", Mode: "replicated", Revision: 1, Monitor: 5 * time.Second}}, nil, tgt, stability{}, since)
	assert.Check(t, st.Done)
}
