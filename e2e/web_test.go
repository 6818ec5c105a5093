//go:build e2e

package e2e

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/web/webtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// The web dashboard in Debian's chromium against a real manager on a 3-node swarm: node2
// is environment qa's, node3 environment secretprod's, each with a stack. A member of qa
// logs in with a password and sees nothing of secretprod, in any page and in any answer
// the page received; the admin pastes the install token, sees the counters the API
// answers, the CPU chart gain points, and node3 go down on the page and its timeline once
// it is killed. Screenshots are kept (the log says where).
func TestWebDashboard(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 3})
	const password = "quinn-Pa55-word"
	for _, args := range [][]string{
		{"env", "create", "qa"}, {"env", "add-node", "qa", "node2"},
		{"env", "create", "secretprod"}, {"env", "add-node", "secretprod", "node3"},
		{"stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "qa", "qashop"},
		{"stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "secretprod", "secretshop"},
	} {
		e.run(args...).Assert(t, icmd.Success)
	}
	e.runWith(password+"\n", nil, "user", "create", "quinn", "--password-stdin").Assert(t, icmd.Success)
	e.run("env", "member", "add", "qa", "quinn", "--role", "member").Assert(t, icmd.Success)
	e.waitDashboard(t, func(d api.Dashboard) bool { return d.Counters.Hosts.Ready == 3 && len(d.TopCPU) > 0 }, "3 ready hosts and the agents' samples")
	// Both stacks have run long enough for samples: secretprod has something to leak.
	for _, stack := range []string{"qashop", "secretshop"} {
		poll.WaitOn(t, func(poll.LogT) poll.Result {
			loads, err := e.api.Usage(context.Background(), api.UsageQuery{Stack: stack})
			if err != nil || len(loads) < 3 || len(loads[0].History.Time) < 2 {
				return poll.Continue("waiting for 3 containers of %s with 2 samples: %v %d", stack, err, len(loads))
			}
			return poll.Success()
		}, poll.WithTimeout(2*time.Minute), poll.WithDelay(time.Second))
	}

	ctx := webtest.Browser(t)
	art := webtest.Artifacts(t)
	t.Run("a member of qa sees nothing of secretprod", func(t *testing.T) {
		memberSeesOnlyItsEnvironment(t, e, ctx, art, password)
	})
	t.Run("the admin sees the swarm live", func(t *testing.T) {
		adminSeesTheSwarmLive(t, e, ctx, art)
	})
}

func (e *exos) waitDashboard(t *testing.T, ok func(api.Dashboard) bool, what string) api.Dashboard {
	t.Helper()
	var d api.Dashboard
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		var err error
		if d, err = e.api.Dashboard(context.Background(), api.DashboardQuery{}); err != nil || !ok(d) {
			return poll.Continue("waiting for %s: %v %+v", what, err, d.Counters)
		}
		return poll.Success()
	}, poll.WithTimeout(2*time.Minute), poll.WithDelay(500*time.Millisecond))
	return d
}

// tab opens a new tab of the browser of ctx (with its own sessionStorage, so its own
// login), closed when the test ends.
func tab(t *testing.T, ctx context.Context) context.Context {
	tctx, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	assert.NilError(t, chromedp.Do(tctx, chromedp.Navigate("about:blank")))
	return tctx
}

func memberSeesOnlyItsEnvironment(t *testing.T, e *exos, browser context.Context, art, password string) {
	ctx := tab(t, browser)
	problems := webtest.Problems(ctx)
	rec, err := webtest.Record(ctx)
	assert.NilError(t, err)
	p := webtest.Page{T: t, Ctx: ctx, Base: e.api.BaseURL(), Artifacts: art}
	p.GoTo("#/login")
	p.Wait(`document.querySelector("[data-test=login-form]")`)
	p.Do(chromedp.SendKeys(`[data-test=login-user]`, "quinn"), chromedp.SendKeys(`[data-test=login-password]`, password), chromedp.Click(`[data-test=login-submit]`))
	p.Wait(`document.querySelector("[data-test=overview][data-ready]")`)
	p.Wait(`document.querySelector("[data-test=whoami]").textContent === "quinn"`)

	// Every number is qa's: one host, one stack; the stack's page has its containers.
	p.Wait(`document.querySelector("[data-test=counter-hosts-total]").textContent === "1"`)
	assert.Check(t, is.Equal(p.Text(`[data-test=counter-stacks-total]`), "1"))
	p.Wait(`document.querySelector("[data-test=top-cpu-row][data-service=qashop_app]")`)
	p.Screenshot("member-overview")
	forbidden := []string{"secretprod", "secretshop", "node3", nodeID(t, e, "node3")}
	noneOf := func(where string) {
		t.Helper()
		text, err := webtest.JS[string](ctx, `document.body.innerText + document.body.innerHTML`)
		assert.NilError(t, err)
		for _, name := range forbidden {
			assert.Check(t, !strings.Contains(text, name), "%s shows %q", where, name)
		}
	}
	noneOf("the overview")
	for hash, ready := range map[string]string{
		"#/env/qa":                          `document.querySelector("[data-test=env-hosts-table] [data-name=node2]")`,
		"#/hosts":                           `document.querySelector("[data-test=host-row][data-name=node2]")`,
		"#/stacks":                          `document.querySelector("[data-test=stack-row][data-name=qashop]")`,
		"#/host/node2":                      `document.querySelector("[data-test=host-state]")`,
		"#/stack/qashop":                    `document.querySelectorAll("[data-test=stack-containers-row]").length === 3 && +document.querySelector("[data-test=chart-cpu]").dataset.points > 1`,
		"#/stack/qashop/service/qashop_app": `document.querySelector("[data-test=service-info-row][data-name=qashop_app]")`,
	} {
		p.GoTo(hash)
		p.WaitFor(ready, 20*time.Second)
		noneOf(hash)
		p.Screenshot("member-" + strings.NewReplacer("#/", "", "/", "-").Replace(hash))
	}
	// The member pins its service, and the overview shows it with its load.
	p.GoTo("#/stack/qashop/service/qashop_app")
	p.Wait(`document.querySelector("[data-test=pin][data-pinned=false]")`)
	p.Do(chromedp.Click(`[data-test=pin]`))
	p.Wait(`document.querySelector("[data-test=pin][data-pinned=true]")`)
	p.GoTo("#/")
	p.WaitFor(`document.querySelector("[data-test=pinned-service][data-name=qashop_app]")`, 20*time.Second)
	p.Screenshot("member-pinned")
	// What the member may not see is missing, as the API says: the page shows the refusal.
	for _, hash := range []string{"#/stack/secretshop", "#/host/node3", "#/env/secretprod"} {
		p.GoTo(hash)
		p.Wait(`document.querySelector("[data-test=error][data-status]")`)
		status := p.Number(`+document.querySelector("[data-test=error]").dataset.status`)
		assert.Check(t, status == 403 || status == 404, "%s: %d %s", hash, status, p.Text(`[data-test=error]`))
	}
	responses, errs := rec.Responses("/api/v1/")
	assert.Check(t, is.Len(errs, 0), "every body was read")
	assert.Check(t, len(responses) > 10, "%d answers", len(responses))
	streamed := false
	for _, r := range responses {
		streamed = streamed || (strings.Contains(r.URL, "/dashboard/events") && strings.Contains(string(r.Body), `"counters"`))
		for _, name := range forbidden {
			if strings.Contains(r.URL, name) {
				// the page asked for it by name, and was refused
				assert.Check(t, r.Status == 403 || r.Status == 404, "%s answered %d", r.URL, r.Status)
				continue
			}
			assert.Check(t, !strings.Contains(string(r.Body), name), "%s (%d) holds %q", r.URL, r.Status, name)
		}
	}
	assert.Check(t, streamed, "the event stream's documents were recorded and checked")
	assert.Check(t, is.Len(problems(), 0), "errors in the page: %v", problems())
}

func nodeID(t *testing.T, e *exos, hostname string) string {
	hosts, err := e.api.ListHosts(context.Background())
	assert.NilError(t, err)
	for _, h := range hosts {
		if h.Hostname == hostname {
			return h.NodeID
		}
	}
	t.Fatalf("no host %s in %+v", hostname, hosts)
	return ""
}

func adminSeesTheSwarmLive(t *testing.T, e *exos, browser context.Context, art string) {
	ctx := tab(t, browser)
	problems := webtest.Problems(ctx)
	p := webtest.Page{T: t, Ctx: ctx, Base: e.api.BaseURL(), Artifacts: art}
	p.GoTo("#/login")
	p.Wait(`document.querySelector("[data-test=token-form]")`)
	p.Do(chromedp.SendKeys(`[data-test=login-token]`, e.saved().Token), chromedp.Click(`[data-test=login-token-submit]`))
	p.Wait(`document.querySelector("[data-test=overview][data-ready]")`)

	// The counters are the API's (read again until both agree: containers come and go).
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		d, err := e.api.Dashboard(context.Background(), api.DashboardQuery{})
		if err != nil {
			return poll.Error(err)
		}
		c := d.Counters
		want := map[string]int{
			"environments": c.Environments, "hosts": c.Hosts.Total, "hosts-ready": c.Hosts.Ready, "hosts-down": c.Hosts.Down,
			"volumes": c.Volumes, "registries": c.Registries, "stacks": c.Stacks, "services": c.Services,
			"containers": c.Containers.Total, "containers-running": c.Containers.Running, "containers-failing": c.Containers.Failing,
		}
		for name, n := range want {
			sel := `[data-test=counter-` + name + `]`
			if !strings.Contains(name, "-") {
				sel = `[data-test=counter-` + name + `-total]`
			}
			if got, _, _ := strings.Cut(p.Text(sel), " "); got != strconv.Itoa(n) {
				return poll.Continue("counter %s: the page shows %s, the API %d", name, got, n)
			}
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(time.Second))

	// The CPU chart gains points as the agents report.
	points := p.Number(`+document.querySelector("[data-test=chart-cpu]").dataset.points`)
	p.WaitFor(`+document.querySelector("[data-test=chart-cpu]").dataset.points > `+strconv.Itoa(points), 30*time.Second)
	p.Screenshot("admin-overview")

	// node3 goes down: the page follows the API within 15 s, counters and timeline.
	var apiDown time.Time
	var mu sync.Mutex
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			if d, err := e.api.Dashboard(context.Background(), api.DashboardQuery{}); err == nil && d.Counters.Hosts.Down > 0 {
				mu.Lock()
				if apiDown.IsZero() {
					apiDown = time.Now()
				}
				mu.Unlock()
			}
		}
	}()
	killed := time.Now()
	e.sw.KillNode(t, 3)
	p.WaitFor(`document.querySelector("[data-test=timeline-row][data-host=node3]").dataset.state === "down"`, 2*time.Minute)
	shown := time.Now()
	close(stop)
	p.Wait(`document.querySelector("[data-test=timeline-row][data-host=node3] rect[data-state=down]")`)
	p.Wait(`document.querySelector("[data-test=counter-hosts-down]").textContent === "1 down"`)
	p.Wait(`document.querySelector("[data-test=top-host][data-name=node3]")`)
	p.Screenshot("admin-node3-down")
	mu.Lock()
	lag := shown.Sub(apiDown)
	mu.Unlock()
	t.Logf("node3 killed: the manager said down after %v, the page showed it %v later", apiDown.Sub(killed).Round(100*time.Millisecond), lag.Round(100*time.Millisecond))
	assert.Check(t, !apiDown.IsZero() && lag < 15*time.Second, "the page showed node3 down %v after the API", lag)
	assert.Check(t, is.Len(problems(), 0), "errors in the page: %v", problems())
}
