package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/web/webtest"
)

// page is a browser tab on a test server, with short helpers for the test's steps.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	art  string // where screenshots go, one when a wait fails
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	assert.NilError(p.t, webtest.Within(p.ctx, 20*time.Second, steps...))
}

func (p page) wait(expr string) {
	p.t.Helper()
	if err := webtest.WaitJS(p.ctx, expr, 10*time.Second); err != nil {
		webtest.Screenshot(p.t, p.ctx, p.art, "failed")
		p.t.Fatal(err)
	}
}

func (p page) text(sel string) string {
	p.t.Helper()
	s, err := webtest.JS[string](p.ctx, `(document.querySelector(`+strconv.Quote(sel)+`) || {}).textContent || ""`)
	assert.NilError(p.t, err)
	return strings.TrimSpace(s)
}

func (p page) number(expr string) int {
	p.t.Helper()
	n, err := webtest.JS[int](p.ctx, expr)
	assert.NilError(p.t, err)
	return n
}

func (p page) goTo(hash string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + "/" + hash))
}

// The page against a fake API in a real chromium: login, the overview drawn from the
// event stream, a node going down, the links, pins, a host, a stack and its diff, with
// no error in the page and the session only in sessionStorage.
func TestThePageInABrowser(t *testing.T) {
	webtest.SkipWithoutChromium(t)
	fake, ts := newFakeAPI(t, dataset{nodes: 6, services: 50, tasks: 300}, 200*time.Millisecond)
	ctx := webtest.Browser(t)
	problems := webtest.Problems(ctx)
	rec, err := webtest.Record(ctx)
	assert.NilError(t, err)
	art := webtest.Artifacts(t)
	p := page{t: t, ctx: ctx, base: ts.URL, art: art}

	p.goTo("")
	p.wait(`location.hash === "#/login" && document.querySelector("[data-test=login-form]")`)
	p.do(chromedp.SendKeys(`[data-test=login-user]`, "alice"), chromedp.SendKeys(`[data-test=login-password]`, "wrong"), chromedp.Click(`[data-test=login-submit]`))
	p.wait(`document.querySelector("[data-test=login-error]").textContent.includes("wrong user name or password")`)
	webtest.Screenshot(t, ctx, art, "login-refused")
	p.do(chromedp.SetValue(`[data-test=login-password]`, fakePassword), chromedp.Click(`[data-test=login-submit]`))
	p.wait(`document.querySelector("[data-test=overview][data-ready]")`)
	session, err := webtest.JS[string](ctx, `sessionStorage.getItem("exos.token") + "|" + localStorage.length + "|" + document.cookie`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(session, fakeSession+"|0|"), "the token is in sessionStorage only")

	// The counters are the document's.
	doc := fake.dashboard()
	for test, want := range map[string]int{
		"counter-hosts-total": doc.Counters.Hosts.Total, "counter-hosts-ready": doc.Counters.Hosts.Ready, "counter-services-total": doc.Counters.Services,
		"counter-containers-total": doc.Counters.Containers.Total, "counter-containers-failing": doc.Counters.Containers.Failing, "counter-environments-total": doc.Counters.Environments,
	} {
		got, _, _ := strings.Cut(p.text(`[data-test=`+test+`]`), " ")
		assert.Check(t, is.Equal(got, strconv.Itoa(want)), test)
	}
	assert.Check(t, is.Equal(p.number(`document.querySelectorAll("[data-test=top-env]").length`), 3))
	assert.Check(t, is.Equal(p.number(`document.querySelectorAll("[data-test=timeline-row]").length`), 6))

	// The CPU chart gains a point with each event.
	points := p.number(`+document.querySelector("[data-test=chart-cpu]").dataset.points`)
	assert.Check(t, points > 0)
	p.wait(`+document.querySelector("[data-test=chart-cpu]").dataset.points > ` + strconv.Itoa(points+2))
	assert.Check(t, p.number(`+document.querySelector("[data-test=chart-cpu]").dataset.series`) > 1)

	// A node goes down: the counter, the list and the timeline say so.
	fake.setDown(0)
	p.wait(`document.querySelector("[data-test=timeline-row][data-host=node1]").dataset.state === "down"`)
	assert.Check(t, is.Equal(p.text(`[data-test=counter-hosts-down]`), "1 down"))
	assert.Check(t, is.Equal(p.number(`document.querySelectorAll("[data-test=top-host][data-name=node1] [data-kind=node_down]").length`), 1))
	assert.Check(t, p.number(`document.querySelectorAll("[data-test=timeline-row][data-host=node1] rect[data-state=down]").length`) == 1)
	webtest.Screenshot(t, ctx, art, "overview-node-down")

	// Each reason links to its object.
	p.do(chromedp.Click(`[data-test=top-env][data-name=dev] [data-kind=below_replicas] a`))
	p.wait(`location.hash === "#/stack/shop0/service/shop0_svc0" && document.querySelector("[data-test=service]")`)

	// A pin from a service's page shows in the overview's pinned section, and goes.
	p.goTo("#/stack/shop1/service/shop1_web")
	p.wait(`document.querySelector("[data-test=pin][data-pinned=false]")`)
	p.do(chromedp.Click(`[data-test=pin]`))
	p.wait(`document.querySelector("[data-test=pin][data-pinned=true]")`)
	p.wait(`+document.querySelector("[data-test=chart-cpu]").dataset.series === 2`)
	webtest.Screenshot(t, ctx, art, "service")
	p.goTo("#/")
	p.wait(`document.querySelector("[data-test=pinned-service][data-name=shop1_web]")`)
	p.do(chromedp.Click(`[data-test=pinned-service][data-name=shop1_web] [data-test=unpin]`))
	p.wait(`!document.querySelector("[data-test=pinned-service]")`)

	// A host; a stack with its services, containers, charts and the diff of two revisions.
	p.goTo("#/host/node2")
	p.wait(`document.querySelector("[data-test=host-state]") && document.querySelector("[data-test=host-volumes] [data-name=shop1_data]")`)
	assert.Check(t, is.Equal(p.text(`[data-test=host-state]`), "ready"))
	webtest.Screenshot(t, ctx, art, "host")
	p.goTo("#/stack/shop1")
	p.wait(`document.querySelectorAll("[data-test=stack-services-row]").length === 2 && document.querySelectorAll("[data-test=revision-row]").length === 3`)
	p.do(chromedp.SetValue(`[data-test=diff-from]`, "1"), chromedp.Click(`[data-test=diff-show]`))
	p.wait(`document.querySelector("[data-test=diff-file][data-name='docker-compose.yml']")`)
	assert.Check(t, is.Contains(p.text(`[data-test=diff]`), "Revision 1 → 3"))
	assert.Check(t, is.Contains(p.text(`[data-test=diff-services]`), "exos/busybox:2"))
	webtest.Screenshot(t, ctx, art, "stack-diff")

	// Logging out forgets the token.
	p.do(chromedp.Click(`[data-test=logout]`))
	p.wait(`location.hash === "#/login" && sessionStorage.getItem("exos.token") === null`)

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
