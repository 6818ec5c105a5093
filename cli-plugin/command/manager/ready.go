package manager

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// pollInterval is how often install looks at the manager while it starts.
const pollInterval = 500 * time.Millisecond

// readiness is how install tells the manager is up: Swarm runs the spec install wrote
// (after an update, the old task answers until it is replaced), its task runs (find gives
// its URL) and its /healthz answers 200.
type readiness struct {
	find   func(ctx context.Context, engine command.EngineClient) (string, error)
	engine command.EngineClient
	health func(ctx context.Context, url string) error
	// want is the container spec install wrote; nil skips the check.
	want *swarm.ContainerSpec
}

func (r readiness) check(ctx context.Context) (string, error) {
	if err := r.rolledOut(ctx); err != nil {
		return "", err
	}
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

// rolledOut fails while a task meant to run still has an older container spec than want.
func (r readiness) rolledOut(ctx context.Context) error {
	if r.want == nil {
		return nil
	}
	tasks, err := r.engine.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", command.ManagerService), filters.Arg("desired-state", "running"))})
	if err != nil {
		return fmt.Errorf("failed to list the tasks of %s: %w", command.ManagerService, err)
	}
	for _, t := range tasks {
		if !sameContainer(t.Spec.ContainerSpec, r.want) {
			return fmt.Errorf("Swarm is replacing task %s with the new spec", t.ID)
		}
	}
	return nil
}

// sameContainer compares what install sets; the engine fills in other fields.
func sameContainer(have, want *swarm.ContainerSpec) bool {
	return have != nil && have.Image == want.Image && slices.Equal(have.Args, want.Args) &&
		slices.Equal(have.Env, want.Env) && reflect.DeepEqual(have.Mounts, want.Mounts) &&
		slices.EqualFunc(have.Secrets, want.Secrets, func(a, b *swarm.SecretReference) bool { return a.SecretName == b.SecretName })
}
