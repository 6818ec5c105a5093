package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/docker/cli/cli/streams"
	"github.com/exos-platform/exos/manager/api"
)

// blockingWait is how long one blocking query waits for a change before we ask again;
// minRecheck the least, when a stability window is about to end.
const (
	blockingWait = 10 * time.Second
	minRecheck   = 100 * time.Millisecond
)

// StackWatcher is what waiting needs of the manager.
type StackWatcher interface {
	StackServices(ctx context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error)
	StackContainers(ctx context.Context, name string, q api.QueryOptions) ([]api.Container, uint64, error)
}

// Wait follows the stack that a deploy, rollback or upgrade recorded as res, showing each
// service's progress, until every service of the revision runs its desired replicas of
// the revision's spec, healthy, and they kept running for the service's monitor period
// (nil); or the deploy fails (a task crashed, Swarm paused or rolled back the update, a
// later deploy superseded it); or timeout passes. since is when the request was sent: task failures before it
// are not the deploy's.
func Wait(ctx context.Context, out *streams.Out, mgr StackWatcher, res api.DeployResult, since time.Time, timeout time.Duration) error {
	return waitForStack(ctx, out, mgr, res.Stack, newTarget(res, since), timeout)
}

// waitForStack follows the stack with blocking queries until assess says it converged or
// failed, or timeout passes.
func waitForStack(ctx context.Context, out *streams.Out, mgr StackWatcher, stack string, t target, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	p := newProgressPrinter(out, out.IsTerminal())
	seen := stability{}
	var index uint64
	var last waitState
	for {
		wait := blockingWait
		if last.Recheck > 0 {
			wait = min(wait, max(last.Recheck, minRecheck))
		}
		services, next, err := mgr.StackServices(ctx, stack, api.QueryOptions{WaitIndex: index, WaitTime: wait})
		if err == nil {
			var containers []api.Container
			containers, _, err = mgr.StackContainers(ctx, stack, api.QueryOptions{})
			last = assess(services, containers, t, seen, time.Now())
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("timed out after %s waiting for stack %s: %s", timeout, stack, strings.Join(last.Lines, ", "))
		}
		if err != nil {
			return fmt.Errorf("failed to follow stack %s: %w", stack, err)
		}
		p.show(last.Lines)
		if last.Failed != nil {
			return fmt.Errorf("stack %s did not converge: %w", stack, last.Failed)
		}
		if last.Done {
			_, _ = fmt.Fprintf(out, "Stack %s converged: every service runs its desired replicas\n", stack)
			return nil
		}
		if (next == 0 || next == index) && last.Recheck == 0 {
			// A manager that does not block would make this a busy loop.
			if err := sleep(ctx, time.Second); err != nil {
				continue
			}
		}
		index = next
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// progressPrinter redraws the lines in place on a terminal; elsewhere (CI logs) it prints
// only the lines that changed, one per change.
type progressPrinter struct {
	out   io.Writer
	tty   bool
	drawn int
	// last is the line last printed per service (its first word), off a terminal.
	last map[string]string
}

func newProgressPrinter(out io.Writer, tty bool) *progressPrinter {
	return &progressPrinter{out: out, tty: tty, last: map[string]string{}}
}

func (p *progressPrinter) show(lines []string) {
	if p.tty {
		if p.drawn > 0 {
			// Move up over what we drew last time and clear to the end of the screen.
			_, _ = fmt.Fprintf(p.out, "\x1b[%dA\x1b[J", p.drawn)
		}
		for _, l := range lines {
			_, _ = fmt.Fprintln(p.out, l)
		}
		p.drawn = len(lines)
		return
	}
	for _, l := range lines {
		key, _, _ := strings.Cut(l, " ")
		if p.last[key] != l {
			p.last[key] = l
			_, _ = fmt.Fprintln(p.out, l)
		}
	}
}
