package manager

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	cerrdefs "github.com/containerd/errdefs"
)

// agentRemover is what removing the agent's network and key needs of the Engine API.
type agentRemover interface {
	networkLister
	NetworkRemove(ctx context.Context, networkID string) error
	secretLister
	SecretRemove(ctx context.Context, id string) error
}

// removeAgentObjects removes the agent network and the agent key once the services are
// gone. The swarm refuses to remove a network while the removed services' tasks still
// shut down on their nodes, so it tries again for up to wait.
func removeAgentObjects(ctx context.Context, out io.Writer, engine agentRemover, wait, every time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := removeAgentNetwork(ctx, out, engine)
		if err == nil || time.Now().After(deadline) {
			return errors.Join(err, removeAgentKey(ctx, out, engine))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

func removeAgentNetwork(ctx context.Context, out io.Writer, engine agentRemover) error {
	id, err := findNetwork(ctx, engine)
	if err != nil || id == "" {
		return err
	}
	if err := engine.NetworkRemove(ctx, id); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("failed to remove network %s: %w", agentNetwork, err)
	}
	_, _ = fmt.Fprintf(out, "Removed network %s\n", agentNetwork)
	return nil
}

// removeAgentKey removes the agent key: it protects nothing stored, and the next install
// makes a new one.
func removeAgentKey(ctx context.Context, out io.Writer, engine agentRemover) error {
	id, err := findSecret(ctx, engine, agentKeySecret)
	if err != nil || id == "" {
		return err
	}
	if err := engine.SecretRemove(ctx, id); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("failed to remove secret %s: %w", agentKeySecret, err)
	}
	_, _ = fmt.Fprintf(out, "Removed secret %s\n", agentKeySecret)
	return nil
}
