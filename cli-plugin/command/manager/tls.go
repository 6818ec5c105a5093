package manager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
)

const (
	// tlsModeLabel on exos_manager says where its certificate comes from: tlsModeCA (issued
	// by the manager from the swarm's CA) or tlsModeOwn (--tls-cert).
	tlsModeLabel = "io.exos.tls.mode"
	tlsModeCA    = "ca"
	tlsModeOwn   = "own"
	// secretsDir is where Swarm mounts a service's secrets.
	secretsDir = "/run/secrets/"
)

// transport is what install sets on the manager's service for how it serves.
type transport struct {
	// scheme is command.TransportHTTPS or command.TransportHTTP.
	scheme  string
	args    []string
	secrets []*swarm.SecretReference
	configs []*swarm.ConfigReference
	// labels go on the service beside TransportLabel.
	labels map[string]string
	// caPEM is what the plugin pins; nil for plain HTTP.
	caPEM []byte
	// serverName is what the certificate is checked against ("" for the node's address).
	serverName string
	// agentServerName is what agents check the certificate against ("" for
	// api.AgentServerName, which a certificate issued from the swarm's CA holds).
	agentServerName string
	// newCA says a CA was made (not reused): `--tls-new-ca` then removes the older ones.
	newCA bool
}

// tlsStore is what setting up TLS needs of the Engine API.
type tlsStore interface {
	tlsNodeLister
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigCreate(ctx context.Context, config swarm.ConfigSpec) (swarm.ConfigCreateResponse, error)
	ConfigInspectWithRaw(ctx context.Context, id string) (swarm.Config, []byte, error)
	ConfigRemove(ctx context.Context, id string) error
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretCreate(ctx context.Context, secret swarm.SecretSpec) (swarm.SecretCreateResponse, error)
	SecretRemove(ctx context.Context, id string) error
}

// apply sets up what the plan says: plain HTTP, the user's certificate (stored now, or
// kept from the previous install when no option names another), or the swarm's CA
// (reused; made only when the swarm has none, or --tls-new-ca asks for one).
func (p tlsPlan) apply(ctx context.Context, out io.Writer, engine tlsStore, clusterID string) (transport, error) {
	mode := tlsMode(p.current)
	switch {
	case p.options.insecureHTTP:
		return transport{scheme: command.TransportHTTP, args: []string{"--insecure-http"}}, nil
	case p.own != nil:
		return storeOwn(ctx, out, engine, *p.own)
	case mode == tlsModeOwn && !p.options.newCA && len(p.options.sans) > 0:
		return transport{}, errors.New("--tls-san applies to a certificate the manager issues from the swarm's CA, and it serves yours (--tls-cert): " +
			"give a certificate valid for that name, or pass --tls-new-ca to serve one from a CA EXOS makes")
	case mode == tlsModeOwn && !p.options.newCA:
		return keepOwn(ctx, out, engine, *p.current)
	}
	return ensureCA(ctx, out, engine, p.current, p.options, clusterID)
}

// contentID names an object after its content (Swarm configs and secrets cannot change,
// so another content is another object): the first 12 hex digits of its SHA-256.
func contentID(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:12]
}

// findSecret returns the ID of the secret called name, "" when there is none. The name
// filter matches prefixes: the exact name is looked for among the answers.
func findSecret(ctx context.Context, engine secretLister, name string) (string, error) {
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: filters.NewArgs(filters.Arg("name", name))})
	if err != nil {
		return "", fmt.Errorf("failed to look for secret %s: %w", name, err)
	}
	for _, s := range secrets {
		if s.Spec.Name == name {
			return s.ID, nil
		}
	}
	return "", nil
}

// secretLister is what looking for a secret needs of the Engine API.
type secretLister interface {
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
}

// findConfig returns the config called name, nil when there is none.
func findConfig(ctx context.Context, engine tlsStore, name string) (*swarm.Config, error) {
	configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("name", name))})
	if err != nil {
		return nil, fmt.Errorf("failed to look for config %s: %w", name, err)
	}
	for _, c := range configs {
		if c.Spec.Name == name {
			return &c, nil
		}
	}
	return nil, nil
}

// ensureSecret returns the ID of secret name, created with data when the swarm has none.
// The name carries contentID, so an existing secret of that name holds data.
func ensureSecret(ctx context.Context, engine tlsStore, name string, data []byte, labels map[string]string) (string, error) {
	id, err := findSecret(ctx, engine, name)
	if err != nil || id != "" {
		return id, err
	}
	resp, err := engine.SecretCreate(ctx, swarm.SecretSpec{Annotations: swarm.Annotations{Name: name, Labels: labels}, Data: data})
	if err != nil {
		return "", fmt.Errorf("failed to create secret %s: %w", name, err)
	}
	return resp.ID, nil
}

// ensureConfig is ensureSecret for a config.
func ensureConfig(ctx context.Context, engine tlsStore, name string, data []byte, labels map[string]string) (string, error) {
	c, err := findConfig(ctx, engine, name)
	if err != nil {
		return "", err
	}
	if c != nil {
		return c.ID, nil
	}
	resp, err := engine.ConfigCreate(ctx, swarm.ConfigSpec{Annotations: swarm.Annotations{Name: name, Labels: labels}, Data: data})
	if err != nil {
		return "", fmt.Errorf("failed to create config %s: %w", name, err)
	}
	return resp.ID, nil
}

// secretFile mounts secret name (ID id) at /run/secrets/<file>, readable by root only.
func secretFile(id, name, file string) *swarm.SecretReference {
	return &swarm.SecretReference{
		File:     &swarm.SecretReferenceFileTarget{Name: file, UID: "0", GID: "0", Mode: 0o400},
		SecretID: id, SecretName: name,
	}
}

// caConfigFile mounts the CA clients pin at command.CAPath, where the plugin looks for it
// when none is pinned on its machine.
func caConfigFile(id, name string) *swarm.ConfigReference {
	return &swarm.ConfigReference{
		File:     &swarm.ConfigReferenceFileTarget{Name: command.CAPath, UID: "0", GID: "0", Mode: 0o444},
		ConfigID: id, ConfigName: name,
	}
}
