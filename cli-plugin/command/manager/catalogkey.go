package manager

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
)

const (
	// catalogKeySecret is the Swarm secret holding the key the manager encrypts the
	// credentials of private catalogs with (AES-256-GCM). It is mounted in the manager at
	// /run/secrets/<catalogKeySecret>, where the manager looks for it.
	catalogKeySecret = "exos-catalog-key"
	catalogKeyKind   = "catalog-key"
	catalogKeySize   = 32
)

// secretStore is what the catalog key needs of the Engine API.
type secretStore interface {
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretCreate(ctx context.Context, secret swarm.SecretSpec) (swarm.SecretCreateResponse, error)
}

// installCatalogKey makes sure the swarm has the catalog key secret, says whether it was
// created, and returns its ID.
func installCatalogKey(ctx context.Context, out io.Writer, engine secretStore) (string, error) {
	id, created, err := ensureCatalogKey(ctx, engine)
	if err != nil {
		return "", err
	}
	if created {
		_, _ = fmt.Fprintf(out, "Created the catalog key secret %s\n", catalogKeySecret)
	} else {
		_, _ = fmt.Fprintf(out, "Using the catalog key secret %s\n", catalogKeySecret)
	}
	return id, nil
}

// ensureCatalogKey returns the ID of the catalog key secret, creating it with a new random
// key if the swarm has none. An existing key is never replaced: the catalogs' stored
// credentials were encrypted with it and could not be decrypted with another. created
// says whether the secret was created.
func ensureCatalogKey(ctx context.Context, engine secretStore) (id string, created bool, err error) {
	// The name filter matches prefixes: look for the exact name among the answers.
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{
		Filters: filters.NewArgs(filters.Arg("name", catalogKeySecret)),
	})
	if err != nil {
		return "", false, fmt.Errorf("failed to look for secret %s: %w", catalogKeySecret, err)
	}
	for _, s := range secrets {
		if s.Spec.Name == catalogKeySecret {
			return s.ID, false, nil
		}
	}
	key := make([]byte, catalogKeySize)
	if _, err := rand.Read(key); err != nil {
		return "", false, fmt.Errorf("failed to generate the catalog key: %w", err)
	}
	resp, err := engine.SecretCreate(ctx, swarm.SecretSpec{
		Annotations: swarm.Annotations{
			Name:   catalogKeySecret,
			Labels: map[string]string{kindLabel: catalogKeyKind},
		},
		Data: key,
	})
	if err != nil {
		return "", false, fmt.Errorf("failed to create secret %s: %w", catalogKeySecret, err)
	}
	return resp.ID, true, nil
}

// catalogKeyReference mounts the catalog key secret (ID secretID) in the manager, readable
// by root only.
func catalogKeyReference(secretID string) *swarm.SecretReference {
	return &swarm.SecretReference{
		File: &swarm.SecretReferenceFileTarget{
			Name: catalogKeySecret,
			UID:  "0",
			GID:  "0",
			Mode: 0o400,
		},
		SecretID:   secretID,
		SecretName: catalogKeySecret,
	}
}
