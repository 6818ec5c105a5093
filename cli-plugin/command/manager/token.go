package manager

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
)

const (
	// kindLabel marks every object EXOS stores in the swarm.
	kindLabel      = "io.exos.kind"
	adminTokenKind = "admin-token"
	// adminTokenConfigPrefix + the first 12 hex digits of the token's hash names the
	// config holding the hash.
	adminTokenConfigPrefix = "exos-admin-token-"
	adminTokenPrefix       = "exos_"
)

// tokenStore is what the admin token needs of the Engine API.
type tokenStore interface {
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigCreate(ctx context.Context, config swarm.ConfigSpec) (swarm.ConfigCreateResponse, error)
}

// newAdminToken returns 256 random bits, base64url-encoded and prefixed so the token is
// recognisable (in a leaked log, for instance).
func newAdminToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("failed to generate the admin token: %w", err)
	}
	return adminTokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is what the swarm stores: the token itself never leaves this machine.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func adminTokenConfigName(hash string) string { return adminTokenConfigPrefix + hash[:12] }

// installAdminToken makes sure the swarm has an admin token saved in dir, and says which.
func installAdminToken(ctx context.Context, out io.Writer, engine tokenStore, dir, clusterID string) error {
	_, created, err := ensureAdminToken(ctx, engine, dir, clusterID)
	if err != nil {
		return err
	}
	if created {
		_, _ = fmt.Fprintf(out, "Created an admin token, saved in %s\n", command.TokenPath(dir, clusterID))
	} else {
		_, _ = fmt.Fprintf(out, "Using the admin token saved in %s\n", command.TokenPath(dir, clusterID))
	}
	return nil
}

// ensureAdminToken returns the admin token saved for swarm clusterID if the swarm still
// stores its hash (so installing again is harmless), or creates, stores and saves a new
// one. created says which.
func ensureAdminToken(ctx context.Context, engine tokenStore, dir, clusterID string) (token string, created bool, err error) {
	configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{
		Filters: filters.NewArgs(filters.Arg("label", kindLabel+"="+adminTokenKind)),
	})
	if err != nil {
		return "", false, fmt.Errorf("failed to list the admin token configs: %w", err)
	}
	// A login session may be saved in front of the install token: the install token is
	// what install needs, and the session stays.
	saved, err := command.LoginStore{Dir: dir, Swarm: clusterID}.InstallToken()
	if err == nil && saved != "" && hashStored(configs, tokenHash(saved)) {
		return saved, false, nil
	}
	token, err = newAdminToken()
	if err != nil {
		return "", false, err
	}
	hash := tokenHash(token)
	spec := swarm.ConfigSpec{
		Annotations: swarm.Annotations{
			Name:   adminTokenConfigName(hash),
			Labels: map[string]string{kindLabel: adminTokenKind},
		},
		Data: []byte(hash),
	}
	if _, err := engine.ConfigCreate(ctx, spec); err != nil {
		return "", false, fmt.Errorf("failed to store the admin token's hash in config %s: %w", spec.Name, err)
	}
	if err := command.SaveToken(dir, clusterID, token); err != nil {
		return "", false, err
	}
	return token, true, nil
}

// hashStored reports whether one of the admin-token configs holds hash.
func hashStored(configs []swarm.Config, hash string) bool {
	for _, c := range configs {
		if c.Spec.Name == adminTokenConfigName(hash) && (len(c.Spec.Data) == 0 || string(c.Spec.Data) == hash) {
			return true
		}
	}
	return false
}
