package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/web/webtest"
)

// The page against a fake API in a real chromium: login, the overview drawn from the
// event stream, a node going down, the links, pins of a service and a host, a host, an
// environment, a stack and its diff, with no error in the page and the session only in
// sessionStorage.
func TestThePageInABrowser(t *testing.T) {
	fake, ts := newFakeAPI(t, dataset{nodes: 6, services: 50, tasks: 300}, 200*time.Millisecond, nil)
	ctx := webtest.Browser(t)
	problems := webtest.Problems(ctx)
	rec, err := webtest.Record(ctx)
	assert.NilError(t, err)
	art := webtest.Artifacts(t)
	p := webtest.Page{T: t, Ctx: ctx, Base: ts.URL, Artifacts: art}

	p.GoTo("")
	p.Wait(`location.hash === "#/login" && document.querySelector("[data-test=login-form]")`)
	p.Do(chromedp.SendKeys(`[data-test=login-user]`, "alice"), chromedp.SendKeys(`[data-test=login-password]`, "wrong"), chromedp.Click(`[data-test=login-submit]`))
	p.Wait(`document.querySelector("[data-test=login-error]").textContent.includes("wrong user name or password")`)
	p.Screenshot("login-refused")
	p.Do(chromedp.SetValue(`[data-test=login-password]`, fakePassword), chromedp.Click(`[data-test=login-submit]`))
	p.Wait(`document.querySelector("[data-test=overview][data-ready]")`)
	session, err := webtest.JS[string](ctx, `sessionStorage.getItem("exos.token") + "|" + localStorage.length + "|" + document.cookie`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(session, fakeSession+"|0|"), "the token is in sessionStorage only")

	// The counters are the document's.
	doc := fake.dashboard()
	for test, want := range map[string]int{
		"counter-hosts-total": doc.Counters.Hosts.Total, "counter-hosts-ready": doc.Counters.Hosts.Ready, "counter-services-total": doc.Counters.Services,
		"counter-containers-total": doc.Counters.Containers.Total, "counter-containers-failing": doc.Counters.Containers.Failing, "counter-environments-total": doc.Counters.Environments,
	} {
		got, _, _ := strings.Cut(p.Text(`[data-test=`+test+`]`), " ")
		assert.Check(t, is.Equal(got, strconv.Itoa(want)), test)
	}
	assert.Check(t, is.Equal(p.Count(`[data-test=top-env]`), 3))
	assert.Check(t, is.Equal(p.Count(`[data-test=timeline-row]`), 6))

	// The CPU chart gains a point with each event.
	points := p.Number(`+document.querySelector("[data-test=chart-cpu]").dataset.points`)
	assert.Check(t, points > 0)
	p.Wait(`+document.querySelector("[data-test=chart-cpu]").dataset.points > ` + strconv.Itoa(points+2))
	assert.Check(t, p.Number(`+document.querySelector("[data-test=chart-cpu]").dataset.series`) > 1)

	// A node goes down: the counter, the list and the timeline say so.
	fake.setDown(0)
	p.Wait(`document.querySelector("[data-test=timeline-row][data-host=node1]").dataset.state === "down"`)
	assert.Check(t, is.Equal(p.Text(`[data-test=counter-hosts-down]`), "1 down"))
	assert.Check(t, is.Equal(p.Count(`[data-test=top-host][data-name=node1] [data-kind=node_down]`), 1))
	assert.Check(t, p.Count(`[data-test=timeline-row][data-host=node1] rect[data-state=down]`) == 1)
	p.Screenshot("overview-node-down")

	// Each reason links to its object.
	p.Do(chromedp.Click(`[data-test=top-env][data-name=dev] [data-kind=below_replicas] a`))
	p.Wait(`location.hash === "#/stack/shop0/service/shop0_svc0" && document.querySelector("[data-test=service]")`)

	// A pin from a service's page shows in the overview's pinned section, and goes.
	p.GoTo("#/stack/shop1/service/shop1_web")
	p.Wait(`document.querySelector("[data-test=pin][data-pinned=false]")`)
	p.Do(chromedp.Click(`[data-test=pin]`))
	p.Wait(`document.querySelector("[data-test=pin][data-pinned=true]")`)
	p.Wait(`+document.querySelector("[data-test=chart-cpu]").dataset.series === 2`)
	p.Screenshot("service")
	p.GoTo("#/")
	p.Wait(`document.querySelector("[data-test=pinned-service][data-name=shop1_web]")`)
	p.Do(chromedp.Click(`[data-test=pinned-service][data-name=shop1_web] [data-test=unpin]`))
	p.Wait(`!document.querySelector("[data-test=pinned-service]")`)

	// A host, pinned too; an environment; a stack with its services, containers, charts
	// and the diff of two revisions.
	p.GoTo("#/host/node2")
	p.Wait(`document.querySelector("[data-test=host-state]") && document.querySelector("[data-test=host-volumes] [data-name=shop1_data]")`)
	assert.Check(t, is.Equal(p.Text(`[data-test=host-state]`), "ready"))
	p.Do(chromedp.Click(`[data-test=pin][data-pinned=false]`))
	p.Wait(`document.querySelector("[data-test=pin][data-pinned=true]")`)
	p.Screenshot("host")
	p.GoTo("#/")
	p.Wait(`document.querySelector("[data-test=pinned-host][data-name=node2]")`)
	p.GoTo("#/env/dev")
	p.Wait(`document.querySelector("[data-test=env-stacks-table] [data-name=shop1]") && document.querySelectorAll("[data-test=env-hosts-table] tbody tr").length === 6`)
	p.GoTo("#/stack/shop1")
	p.Wait(`document.querySelectorAll("[data-test=stack-services-row]").length === 2 && document.querySelectorAll("[data-test=revision-row]").length === 3`)
	p.Do(chromedp.SetValue(`[data-test=diff-from]`, "1"), chromedp.Click(`[data-test=diff-show]`))
	p.Wait(`document.querySelector("[data-test=diff-file][data-name='docker-compose.yml']")`)
	assert.Check(t, is.Contains(p.Text(`[data-test=diff]`), "Revision 1 → 3"))
	assert.Check(t, is.Contains(p.Text(`[data-test=diff-services]`), "exos/busybox:2"))
	p.Screenshot("stack-diff")

	// Logging out forgets the token.
	p.Do(chromedp.Click(`[data-test=logout]`))
	p.Wait(`location.hash === "#/login" && sessionStorage.getItem("exos.token") === null`)

	assert.Check(t, is.Len(problems(), 0), "errors in the page: %v", problems())
	responses, errs := rec.Responses("/api/v1/")
	assert.Check(t, is.Len(errs, 0))
	stream := 0
	for _, r := range responses {
		if strings.Contains(r.URL, "/dashboard/events") {
			stream++
			assert.Check(t, is.Contains(string(r.Body), "event: dashboard\ndata: {"), "the recorder reads the stream")
		}
	}
	assert.Check(t, stream > 0, "the overview reads the event stream")
}
