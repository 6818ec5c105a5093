// Package webtest drives Debian's chromium headless (chromedp) for the tests of the web
// dashboard: the unit tests against a fake API and the e2e tests against a real manager.
// It records what the page receives from the API and keeps screenshots as artifacts.
package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium is the browser the tests drive: EXOS_CHROMIUM, else Debian's.
func chromium() string {
	if p := os.Getenv("EXOS_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Browser starts a headless chromium for the test, with its own profile, closed when the
// test ends, and returns the context of its first tab. It trusts any certificate: the
// manager's CA is made at install and the tests reach it by IP.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromium()); err != nil {
		t.Fatalf("the browser tests need chromium at %s: run scripts/install-deps.sh (it installs Debian's chromium): %v", chromium(), err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium()),
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.IgnoreCertErrors,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
		// The machines have no network but loopback and the test bridge: nothing else is
		// tried (chromium's own connections would be refused, many at a time).
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser; a timeout on it would end the browser with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("failed to start chromium (%s): %v", chromium(), err)
	}
	return ctx
}

// Within runs actions with a deadline, in the browser of ctx.
func Within(ctx context.Context, d time.Duration, steps ...chromedp.Action[chromedp.Void]) error {
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return chromedp.Do(tctx, steps...)
}

// Artifacts is the directory where the test keeps its screenshots: under EXOS_ARTIFACTS
// if set, else under the system's temporary directory (never removed by the test, so
// that CI and developers can look at them); the test's log says where.
func Artifacts(t testing.TB) string {
	t.Helper()
	root := os.Getenv("EXOS_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "exos-artifacts")
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	dir := filepath.Join(root, name+"-"+time.Now().UTC().Format("20060102T150405"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("failed to make the artifacts directory: %v", err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// Screenshot saves the whole page as dir/name.png.
func Screenshot(t testing.TB, ctx context.Context, dir, name string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
}

// WaitJS waits until the JavaScript expression is truthy in the page.
func WaitJS(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond),
			chromedp.WithPollingTimeout(max(time.Until(deadline), time.Millisecond))))
		switch {
		case err == nil:
			return nil
		case !contextReplaced(err) || time.Now().After(deadline):
			return fmt.Errorf("waiting %v for %s: %w", timeout, expr, err)
		}
		time.Sleep(100 * time.Millisecond) // the page is loading its next document
	}
}

// JS evaluates the JavaScript expression in the page (opts: chromedp.EvalAwaitPromise
// for an expression that gives a promise), again if the page was loading a document.
func JS[T any](ctx context.Context, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr, opts...))
		if err == nil || !contextReplaced(err) || tctx.Err() != nil {
			return v, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// contextReplaced reports whether err says the page's JavaScript context went away under
// the call: a navigation replaced the document, and the next one is a moment away.
func contextReplaced(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "Execution context was destroyed")
}

// Problems collects what went wrong in the page from now on: uncaught exceptions,
// unhandled rejections and console errors, such as a refused Content-Security-Policy.
// Failed requests are left out: tests make some fail on purpose.
func Problems(ctx context.Context) func() []string {
	var mu sync.Mutex
	var out []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || (m.Type == "error" && m.Source != "network") {
				mu.Lock()
				out = append(out, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}
