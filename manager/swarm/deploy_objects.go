package swarm

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
)

// applySecrets writes the stack's secrets. Existing ones are updated before anything is
// created: Swarm cannot show a secret's content, so only its refusal to update tells that
// the content changed, and when that change cannot be made little has been touched yet.
func (d *Deployer) applySecrets(ctx context.Context, p *Plan, refs refIDs, j *journal) error {
	var created []swarm.SecretSpec
	for _, sec := range p.want.secrets {
		if sec.External || sec.Keep {
			continue
		}
		have, ok := p.cur.secret(sec.Spec.Name)
		if !ok {
			created = append(created, sec.Spec)
			continue
		}
		if err := d.updateSecret(ctx, have, sec.Spec, p.cur, refs, j); err != nil {
			return err
		}
	}
	for _, spec := range created {
		if err := d.createSecret(ctx, spec, refs, j); err != nil {
			return err
		}
	}
	return nil
}

func (d *Deployer) createSecret(ctx context.Context, spec swarm.SecretSpec, refs refIDs, j *journal) error {
	resp, err := d.engine.SecretCreate(ctx, spec)
	if err != nil {
		return fmt.Errorf("failed to create secret %s: %w", spec.Name, err)
	}
	refs.secrets[spec.Name] = resp.ID
	j.add("removed secret "+spec.Name, func(ctx context.Context) error { return d.engine.SecretRemove(ctx, resp.ID) })
	return nil
}

// updateSecret updates the secret like docker stack deploy does. When Swarm refuses because
// the content changed, the secret is replaced if no service uses it.
func (d *Deployer) updateSecret(ctx context.Context, have swarm.Secret, spec swarm.SecretSpec, cur current, refs refIDs, j *journal) error {
	err := d.engine.SecretUpdate(ctx, have.ID, have.Version, spec)
	switch {
	case err == nil:
		if !maps.Equal(have.Spec.Labels, spec.Labels) {
			j.add("restored the labels of secret "+spec.Name, func(ctx context.Context) error { return d.relabelSecret(ctx, have) })
		}
		return nil
	case !cerrdefs.IsInvalidArgument(err):
		return fmt.Errorf("failed to update secret %s: %w", spec.Name, err)
	}
	if users := cur.usersOf(have.ID); len(users) > 0 {
		return api.Errorf(api.ErrConflict, "secret %q changed, but Swarm secrets cannot change and it is used by %s: give the changed secret a new name (for example with a version suffix): %w",
			spec.Name, strings.Join(users, ", "), err)
	}
	if err := d.engine.SecretRemove(ctx, have.ID); err != nil {
		return fmt.Errorf("failed to remove changed secret %s: %w", spec.Name, err)
	}
	j.lost = append(j.lost, fmt.Sprintf("secret %s keeps its new content: Swarm never shows a secret's content, so the old one cannot be restored", spec.Name))
	return d.createSecret(ctx, spec, refs, j)
}

// relabelSecret puts back the labels a secret had. Without Data, Swarm changes only labels.
func (d *Deployer) relabelSecret(ctx context.Context, old swarm.Secret) error {
	return RetryOnConflict(func() error {
		cur, _, err := d.engine.SecretInspectWithRaw(ctx, old.ID)
		if err != nil {
			return err
		}
		spec := old.Spec
		spec.Data = nil
		return d.engine.SecretUpdate(ctx, old.ID, cur.Version, spec)
	})
}

// applyConfigs creates missing configs, updates labels of existing ones, and replaces
// those whose content changed (Plan made sure no service of the stack uses them).
func (d *Deployer) applyConfigs(ctx context.Context, p *Plan, refs refIDs, j *journal) error {
	for _, cfg := range p.want.configs {
		if cfg.External {
			continue
		}
		spec := cfg.Spec
		have, ok := p.cur.config(spec.Name)
		switch {
		case ok && sameConfigContent(spec, have.Spec):
			if maps.Equal(spec.Labels, have.Spec.Labels) {
				continue
			}
			if err := d.engine.ConfigUpdate(ctx, have.ID, have.Version, spec); err != nil {
				return fmt.Errorf("failed to update config %s: %w", spec.Name, err)
			}
			j.add("restored the labels of config "+spec.Name, func(ctx context.Context) error { return d.relabelConfig(ctx, have) })
			continue
		case ok:
			if err := d.engine.ConfigRemove(ctx, have.ID); err != nil {
				return fmt.Errorf("failed to remove changed config %s: %w", spec.Name, err)
			}
			j.add("restored config "+spec.Name, func(ctx context.Context) error {
				_, err := d.engine.ConfigCreate(ctx, have.Spec)
				return err
			})
		}
		resp, err := d.engine.ConfigCreate(ctx, spec)
		if err != nil {
			return fmt.Errorf("failed to create config %s: %w", spec.Name, err)
		}
		refs.configs[spec.Name] = resp.ID
		j.add("removed config "+spec.Name, func(ctx context.Context) error { return d.engine.ConfigRemove(ctx, resp.ID) })
	}
	return nil
}

func (d *Deployer) relabelConfig(ctx context.Context, old swarm.Config) error {
	return RetryOnConflict(func() error {
		cur, _, err := d.engine.ConfigInspectWithRaw(ctx, old.ID)
		if err != nil {
			return err
		}
		return d.engine.ConfigUpdate(ctx, old.ID, cur.Version, old.Spec)
	})
}

// sameConfigContent reports whether only labels tell the two specs apart, the one thing
// ConfigUpdate may change.
func sameConfigContent(a, b swarm.ConfigSpec) bool {
	return bytes.Equal(a.Data, b.Data) && reflect.DeepEqual(a.Templating, b.Templating)
}

// createNetworks creates the stack networks that do not exist. Existing ones are left as
// they are, as docker stack deploy does; Plan refused those that differ.
func (d *Deployer) createNetworks(ctx context.Context, p *Plan, refs refIDs, j *journal) error {
	for _, nw := range p.want.networks {
		if nw.External {
			continue
		}
		if _, ok := p.cur.network(nw.Name); ok {
			continue
		}
		if err := d.createNetwork(ctx, nw.Name, nw.Create, refs, j); err != nil {
			return err
		}
	}
	return nil
}

func (d *Deployer) createNetwork(ctx context.Context, name string, opts network.CreateOptions, refs refIDs, j *journal) error {
	resp, err := d.engine.NetworkCreate(ctx, name, opts)
	if err != nil {
		return fmt.Errorf("failed to create network %s: %w", name, err)
	}
	refs.networks[name] = resp.ID
	j.add("removed network "+name, func(ctx context.Context) error {
		// Swarm refuses to remove a network that tasks still use: the tasks of the
		// services the deploy created go first (their removal was undone before).
		if err := d.waitTasksGone(ctx, j.stack, j.created); err != nil {
			return err
		}
		return d.engine.NetworkRemove(ctx, resp.ID)
	})
	return nil
}
