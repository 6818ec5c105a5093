package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// principals authenticates each of its tokens as its principal.
type principals map[string]authz.Principal

func (p principals) Authenticate(r *http.Request) (authz.Principal, error) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if pr, ok := p[token]; ok {
		return pr, nil
	}
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required")
}

func dashboardNode(id, hostname, env string) *state.Node {
	return state.NewNode(swarm.Node{ID: id, Spec: swarm.NodeSpec{Annotations: swarm.Annotations{Labels: map[string]string{"io.exos.env." + env: "true"}}},
		Description: swarm.NodeDescription{Hostname: hostname}, Status: swarm.NodeStatus{State: swarm.NodeStateReady}})
}

func dashboardService(id, stack, env string) *state.Service {
	raw := statetest.Service(id, stack+"_app", stack, 1)
	raw.Spec.Labels["io.exos.env"] = env
	return state.NewService(raw)
}

// newDashboardServer serves a dashboard over an index of environments qa (node q1, stack
// qa-web) and prod (node p1, stack prod-web), each node reporting one container; clients
// for the admin and for bob, a member of qa.
func newDashboardServer(t *testing.T) (d *dashboard.Service, store *state.Store, admin, bob *api.Client) {
	t.Helper()
	store = state.New()
	assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: "qa"}, &state.Environment{Name: "prod"}))
	assert.NilError(t, store.UpsertNodes(dashboardNode("q1", "qa-1", "qa"), dashboardNode("p1", "prod-1", "prod")))
	assert.NilError(t, store.UpsertServices(dashboardService("sq", "qa-web", "qa"), dashboardService("sp", "prod-web", "prod")))
	d = dashboard.New(dashboard.Config{Index: store, Objects: persist.New(swarmtest.NewEngine())})
	ingest(t, d, "q1", "qa-web_app")
	ingest(t, d, "p1", "prod-web_app")
	tokens := principals{
		"admin": {Name: "admin", User: "admin", Admin: true},
		"bob":   {Name: "bob", User: "bob", Roles: map[string]authz.Role{"qa": authz.RoleMember}},
	}
	s := New(Config{Store: store, Stacks: &fakeStacks{store: store}, Authenticator: tokens, Dashboard: d,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return d, store, api.NewClient(ts.URL, "admin", nil), api.NewClient(ts.URL, "bob", nil)
}

func ingest(t *testing.T, d *dashboard.Service, nodeID, service string) {
	t.Helper()
	assert.NilError(t, d.Ingest(api.AgentReport{NodeID: nodeID, Containers: []api.ContainerSample{
		{ContainerID: nodeID + "-" + service, Service: service, CPUPercent: 12, MemoryUsage: 64 << 20}}}))
}

func assertNoProd(t *testing.T, what string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	assert.NilError(t, err)
	assert.Check(t, !strings.Contains(string(data), "prod"), "%s shows prod to a qa member: %s", what, data)
}

func TestAQAMemberSeesNothingOfProdOnTheDashboard(t *testing.T) {
	_, _, admin, bob := newDashboardServer(t)
	ctx := context.Background()
	all, err := admin.Dashboard(ctx, api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(all.Counters.Hosts.Total, 2))
	assert.Check(t, is.Len(all.TopCPU, 2))

	view, err := bob.Dashboard(ctx, api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(view.Counters.Hosts.Total, 1))
	assert.Check(t, is.Equal(view.Counters.Services, 1))
	assert.Check(t, is.Len(view.TopCPU, 1))
	assertNoProd(t, "the dashboard", view)
	_, err = bob.Dashboard(ctx, api.DashboardQuery{Env: "prod"})
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))

	hosts, err := bob.ListHosts(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.Len(hosts, 1))
	assertNoProd(t, "the hosts", hosts)
	_, err = bob.InspectHost(ctx, "prod-1")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	_, err = bob.InspectHost(ctx, "p1")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	for _, q := range []api.UsageQuery{{Stack: "prod-web"}, {Service: "prod-web_app"}, {Node: "prod-1"}} {
		_, err := bob.Usage(ctx, q)
		assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "%+v", q)
	}
	usage, err := bob.Usage(ctx, api.UsageQuery{Stack: "qa-web"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(usage, 1))

	first := firstEvent(t, bob, api.DashboardQuery{})
	assert.Check(t, is.Equal(first.Counters.Hosts.Total, 1))
	assertNoProd(t, "the event stream", first)
}

func firstEvent(t *testing.T, c *api.Client, q api.DashboardQuery) api.Dashboard {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got api.Dashboard
	errDone := errors.New("done")
	err := c.WatchDashboard(ctx, q, func(d api.Dashboard) error { got = d; return errDone })
	assert.Check(t, is.ErrorIs(err, errDone))
	return got
}

func TestTheEventStreamSendsAnUpdateAfterAReport(t *testing.T) {
	d, _, admin, _ := newDashboardServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var docs []api.Dashboard
	errDone := errors.New("done")
	err := admin.WatchDashboard(ctx, api.DashboardQuery{}, func(doc api.Dashboard) error {
		docs = append(docs, doc)
		if len(docs) == 1 {
			go func() { // Check, not NilError: not the test's goroutine
				assert.Check(t, d.Ingest(api.AgentReport{NodeID: "q1", Containers: []api.ContainerSample{{ContainerID: "other", Service: "qa-web_other"}}}))
			}()
		}
		if slices.ContainsFunc(doc.TopCPU, func(c api.ContainerLoad) bool { return c.Service == "qa-web_other" }) || len(docs) > 10 {
			return errDone
		}
		return nil
	})
	assert.Check(t, is.ErrorIs(err, errDone))
	assert.Check(t, is.Len(docs[0].TopCPU, 2), "the first document at once")
	last := docs[len(docs)-1]
	assert.Check(t, is.Len(last.TopCPU, 2), "q1 reported another container: %+v", last.TopCPU)
}

func TestPinsAreTheCallersOwn(t *testing.T) {
	_, _, admin, bob := newDashboardServer(t)
	ctx := context.Background()
	saved, err := bob.SetDashboardPins(ctx, api.DashboardPins{Services: []string{"qa-web_app", "prod-web_app"}, Hosts: []string{"q1"}})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(saved.Services, []string{"qa-web_app", "prod-web_app"}))
	got, err := bob.DashboardPins(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, saved))
	theirs, err := admin.DashboardPins(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(theirs, api.DashboardPins{Services: []string{}, Hosts: []string{}}))

	view, err := bob.Dashboard(ctx, api.DashboardQuery{})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(view.Pinned.Services, 1))
	assert.Check(t, is.Equal(view.Pinned.Services[0].Service, "qa-web_app"))
	assert.Check(t, is.Len(view.Pinned.Hosts, 1))
	assertNoProd(t, "the pinned", view.Pinned)
}

func TestTheEventStreamFollowsTheIndex(t *testing.T) {
	d, store, admin, _ := newDashboardServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go d.Run(ctx, time.Hour)
	errDone := errors.New("done")
	first := true
	err := admin.WatchDashboard(ctx, api.DashboardQuery{}, func(doc api.Dashboard) error {
		if first {
			first = false
			go func() { assert.Check(t, store.UpsertNodes(dashboardNode("q2", "qa-2", "qa"))) }()
		}
		if doc.Counters.Hosts.Total == 3 {
			return errDone
		}
		return nil
	})
	assert.Check(t, is.ErrorIs(err, errDone), "a new node in the index reaches the stream")
}
