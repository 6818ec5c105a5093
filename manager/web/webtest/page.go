package webtest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Page is a browser tab on the dashboard at Base, with the steps tests take. A step that
// fails saves a screenshot in Artifacts before it fails the test.
type Page struct {
	T         testing.TB
	Ctx       context.Context
	Base      string // the manager's address, without the trailing slash
	Artifacts string
}

func (p Page) fail(err error) {
	p.T.Helper()
	Screenshot(p.T, p.Ctx, p.Artifacts, "failed")
	p.T.Fatal(err)
}

// Do runs actions, each step within 20 s.
func (p Page) Do(steps ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	if err := Within(p.Ctx, 20*time.Second, steps...); err != nil {
		p.fail(err)
	}
}

// Wait waits up to 10 s until expr is truthy in the page.
func (p Page) Wait(expr string) { p.T.Helper(); p.WaitFor(expr, 10*time.Second) }

// WaitFor waits until expr is truthy in the page.
func (p Page) WaitFor(expr string, timeout time.Duration) {
	p.T.Helper()
	if err := WaitJS(p.Ctx, expr, timeout); err != nil {
		p.fail(err)
	}
}

// Text is the trimmed text of the first element sel selects ("" for none).
func (p Page) Text(sel string) string {
	p.T.Helper()
	s, err := JS[string](p.Ctx, `(document.querySelector(`+strconv.Quote(sel)+`) || {}).textContent || ""`)
	if err != nil {
		p.fail(err)
	}
	return strings.TrimSpace(s)
}

// Number evaluates a JavaScript expression that gives an integer.
func (p Page) Number(expr string) int {
	p.T.Helper()
	n, err := JS[int](p.Ctx, expr)
	if err != nil {
		p.fail(err)
	}
	return n
}

// Count is how many elements sel selects.
func (p Page) Count(sel string) int {
	p.T.Helper()
	return p.Number(`document.querySelectorAll(` + strconv.Quote(sel) + `).length`)
}

// GoTo opens the page at hash (such as "#/stack/shop").
func (p Page) GoTo(hash string) {
	p.T.Helper()
	p.Do(chromedp.Navigate(p.Base + "/" + hash))
}

// Screenshot saves the page as name.png in Artifacts.
func (p Page) Screenshot(name string) {
	p.T.Helper()
	Screenshot(p.T, p.Ctx, p.Artifacts, name)
}
