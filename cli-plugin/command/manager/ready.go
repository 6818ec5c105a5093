package manager

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// pollInterval is how often install looks at the manager while it starts.
const pollInterval = 500 * time.Millisecond

// readiness is how install tells the manager is up: its task runs (find gives its URL) and
// its /healthz answers 200.
type readiness struct {
	find   func(ctx context.Context, engine command.EngineClient) (string, error)
	engine command.EngineClient
	health func(ctx context.Context, url string) error
}

func (r readiness) check(ctx context.Context) (string, error) {
	url, err := r.find(ctx, r.engine)
	if err != nil {
		return "", err
	}
	if err := r.health(ctx, url); err != nil {
		return "", fmt.Errorf("waiting for %s/healthz: %w", url, err)
	}
	return url, nil
}

func checkHealth(ctx context.Context, url string) error {
	return api.NewClient(url, "", &http.Client{Timeout: 2 * time.Second}).Health(ctx)
}

// waitForManager checks readiness until it passes or timeout, printing each new reason it
// is not ready yet, so a manager that cannot start says why.
func waitForManager(ctx context.Context, out io.Writer, r readiness, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	last := ""
	for {
		url, err := r.check(ctx)
		if err == nil {
			return url, nil
		}
		if msg := err.Error(); msg != last {
			last = msg
			_, _ = fmt.Fprintln(out, "Waiting:", msg)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("the EXOS manager was not ready within %s: %s", timeout, last)
		case <-ticker.C:
		}
	}
}
