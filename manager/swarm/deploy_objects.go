package swarm

import (
	"context"
	"fmt"
	"github.com/exos-platform/exos/manager/api"
	"maps"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
)

// applyObjects writes the stack's secrets, configs and networks. Secrets go first and
// existing ones are updated before anything is created: Swarm cannot show a secret's
// content, so only its refusal to update tells that the content changed, and when that
// change cannot be made nothing else has been touched yet.
func (d *Deployer) applyObjects(ctx context.Context, want desired, cur current) error {
	var created []swarm.SecretSpec
	for _, sec := range want.secrets {
		if sec.External || sec.Keep {
			continue
		}
		have, ok := cur.secret(sec.Spec.Name)
		if !ok {
			created = append(created, sec.Spec)
			continue
		}
		if err := d.updateSecret(ctx, have, sec.Spec, cur); err != nil {
			return err
		}
	}
	for _, spec := range created {
		if _, err := d.engine.SecretCreate(ctx, spec); err != nil {
			return fmt.Errorf("failed to create secret %s: %w", spec.Name, err)
		}
	}
	if err := d.applyConfigs(ctx, want, cur); err != nil {
		return err
	}
	return d.createNetworks(ctx, want, cur)
}

// updateSecret updates the secret like docker stack deploy does. When Swarm refuses because
// the content changed, the secret is replaced if no service uses it.
func (d *Deployer) updateSecret(ctx context.Context, have swarm.Secret, spec swarm.SecretSpec, cur current) error {
	err := d.engine.SecretUpdate(ctx, have.ID, have.Version, spec)
	switch {
	case err == nil:
		return nil
	case !cerrdefs.IsInvalidArgument(err):
		return fmt.Errorf("failed to update secret %s: %w", spec.Name, err)
	}
	if users := cur.usersOf(have.ID, ""); len(users) > 0 {
		return api.Errorf(ErrInUse, "secret %q changed, but Swarm secrets cannot change and it is used by %s: give the changed secret a new name (for example with a version suffix): %w",
			spec.Name, strings.Join(users, ", "), err)
	}
	if err := d.engine.SecretRemove(ctx, have.ID); err != nil {
		return fmt.Errorf("failed to remove changed secret %s: %w", spec.Name, err)
	}
	if _, err := d.engine.SecretCreate(ctx, spec); err != nil {
		return fmt.Errorf("failed to create secret %s: %w", spec.Name, err)
	}
	return nil
}

// applyConfigs creates missing configs, updates labels of existing ones, and replaces
// those whose content changed (Check made sure no service uses them).
func (d *Deployer) applyConfigs(ctx context.Context, want desired, cur current) error {
	for _, cfg := range want.configs {
		if cfg.External {
			continue
		}
		spec := cfg.Spec
		have, ok := cur.config(spec.Name)
		switch {
		case ok && sameConfigContent(spec, have.Spec):
			if maps.Equal(spec.Labels, have.Spec.Labels) {
				continue
			}
			if err := d.engine.ConfigUpdate(ctx, have.ID, have.Version, spec); err != nil {
				return fmt.Errorf("failed to update config %s: %w", spec.Name, err)
			}
			continue
		case ok:
			if err := d.engine.ConfigRemove(ctx, have.ID); err != nil {
				return fmt.Errorf("failed to remove changed config %s: %w", spec.Name, err)
			}
		}
		if _, err := d.engine.ConfigCreate(ctx, spec); err != nil {
			return fmt.Errorf("failed to create config %s: %w", spec.Name, err)
		}
	}
	return nil
}

// createNetworks creates the stack networks that do not exist. Existing ones are left as
// they are, as docker stack deploy does; Check refused those that differ.
func (d *Deployer) createNetworks(ctx context.Context, want desired, cur current) error {
	for _, nw := range want.networks {
		if nw.External {
			continue
		}
		if _, ok := cur.network(nw.Name); ok {
			continue
		}
		if _, err := d.engine.NetworkCreate(ctx, nw.Name, nw.Create); err != nil {
			return fmt.Errorf("failed to create network %s: %w", nw.Name, err)
		}
	}
	return nil
}
