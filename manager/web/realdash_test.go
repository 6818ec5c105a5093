package web_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/dashboard/dashtest"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/state/statetest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// realDashboard is the manager's own server and dashboard over a synthetic index of
// nodes, stacks, services and tasks, fed 15 minutes of agent reports (perNode containers
// per node every 5 s, on a simulated clock), as the admin sees it: the document the
// render benchmark draws is the one the manager would send.
func realDashboard(tb testing.TB, nodes, stacks, services, tasks, perNode int) http.Handler {
	store := state.New()
	if err := store.ReplaceAll(statetest.Synthetic(nodes, stacks, services, tasks)); err != nil {
		tb.Fatal(err)
	}
	clock := dashtest.NewClock()
	d := dashboard.New(dashboard.Config{Index: store, Objects: persist.New(swarmtest.NewEngine()), Now: clock.Now})
	reports := dashtest.Reports(store, perNode)
	if err := dashtest.Feed(d, clock, reports, int(api.HistoryWindow/api.AgentInterval)); err != nil {
		tb.Fatal(err)
	}
	srv := server.New(server.Config{Store: store, Authenticator: admin{}, Dashboard: d, Log: slog.New(slog.DiscardHandler)})
	srv.SetReady()
	return srv.Handler()
}

// agentReports are one report per node, of perNode of its tasks.
// admin authenticates every request as the global admin.
type admin struct{}

func (admin) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal{Name: "admin", User: "admin", Admin: true}, nil
}
