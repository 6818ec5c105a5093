package manager

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// The agent, exos_agent, runs on every node and reports to the manager over the overlay
// network exos_agent, authenticated with the key in secret exos-agent-key. Unlike the
// catalog key nothing is encrypted with it: uninstall removes it with the network, and
// the next install makes a new one.
const (
	agentService   = "exos_agent"
	agentNetwork   = "exos_agent"
	agentKeySecret = "exos-agent-key"
	agentKeyKind   = "agent-key"
	agentKeySize   = 32
)

// ensureAgentKey returns the ID of the agent key secret, made now (256 random bits, in
// hex: it travels in an Authorization header) when the swarm has none. An existing key
// is kept, so running agents keep reporting through an upgrade.
func ensureAgentKey(ctx context.Context, out io.Writer, engine secretStore) (string, error) {
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: filters.NewArgs(filters.Arg("name", agentKeySecret))})
	if err != nil {
		return "", fmt.Errorf("failed to look for secret %s: %w", agentKeySecret, err)
	}
	for _, s := range secrets {
		if s.Spec.Name == agentKeySecret { // the name filter matches prefixes
			return s.ID, nil
		}
	}
	key := make([]byte, agentKeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("failed to generate the agent key: %w", err)
	}
	resp, err := engine.SecretCreate(ctx, swarm.SecretSpec{
		Annotations: swarm.Annotations{Name: agentKeySecret, Labels: map[string]string{kindLabel: agentKeyKind}},
		Data:        []byte(hex.EncodeToString(key)),
	})
	if err != nil {
		return "", fmt.Errorf("failed to create secret %s: %w", agentKeySecret, err)
	}
	_, _ = fmt.Fprintf(out, "Created the agent key secret %s\n", agentKeySecret)
	return resp.ID, nil
}

// networkLister is what looking for the agent network needs of the Engine API.
type networkLister interface {
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
}

// networkStore is what the agent network needs of the Engine API.
type networkStore interface {
	networkLister
	NetworkCreate(ctx context.Context, name string, options network.CreateOptions) (network.CreateResponse, error)
}

// ensureAgentNetwork returns the ID of the overlay network the agents reach the manager
// on, made now when the swarm has none. It is not encrypted (IPsec is not available on
// every kernel): the reports go over TLS.
func ensureAgentNetwork(ctx context.Context, out io.Writer, engine networkStore) (string, error) {
	id, err := findNetwork(ctx, engine)
	if err != nil || id != "" {
		return id, err
	}
	resp, err := engine.NetworkCreate(ctx, agentNetwork, network.CreateOptions{
		Driver: "overlay", Scope: "swarm",
		Labels: map[string]string{namespaceLabel: stackName},
	})
	if err != nil {
		return "", fmt.Errorf("failed to create network %s: %w", agentNetwork, err)
	}
	_, _ = fmt.Fprintf(out, "Created the agent network %s\n", agentNetwork)
	return resp.ID, nil
}

// findNetwork returns the ID of the agent network, "" when there is none.
func findNetwork(ctx context.Context, engine networkLister) (string, error) {
	networks, err := engine.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", agentNetwork))})
	if err != nil {
		return "", fmt.Errorf("failed to look for network %s: %w", agentNetwork, err)
	}
	for _, n := range networks {
		if n.Name == agentNetwork { // the name filter matches parts of names
			return n.ID, nil
		}
	}
	return "", nil
}

// agentRemover is what removing the agent's network and key needs of the Engine API.
type agentRemover interface {
	networkLister
	NetworkRemove(ctx context.Context, networkID string) error
	secretLister
	SecretRemove(ctx context.Context, id string) error
}

// removeAgentObjects removes the agent network and the agent key once the services are
// gone.
func removeAgentObjects(ctx context.Context, out io.Writer, engine agentRemover, wait, every time.Duration) error {
	err := removeAgentNetwork(ctx, out, engine, wait, every)
	return errors.Join(err, removeAgentKey(ctx, out, engine))
}

// removeAgentNetwork removes the agent network and waits, for up to wait, until Swarm no
// longer lists it: Swarm refuses to remove it while the removed services' tasks shut down
// on their nodes, and lists it for a moment after removing it, when an install right after
// would find it and fail to attach its services to it.
func removeAgentNetwork(ctx context.Context, out io.Writer, engine agentRemover, wait, every time.Duration) error {
	id, err := findNetwork(ctx, engine)
	if err != nil || id == "" {
		return err
	}
	deadline := time.Now().Add(wait)
	for {
		var notYet error
		if err := engine.NetworkRemove(ctx, id); err == nil || cerrdefs.IsNotFound(err) {
			left, err := findNetwork(ctx, engine)
			if err != nil {
				return err
			}
			if left != id {
				_, _ = fmt.Fprintf(out, "Removed network %s\n", agentNetwork)
				return nil
			}
			notYet = fmt.Errorf("swarm still lists network %s after removing it", agentNetwork)
		} else {
			notYet = fmt.Errorf("failed to remove network %s: %w", agentNetwork, err)
		}
		if time.Now().After(deadline) {
			return notYet
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
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
