package swarm

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// networkNotFound recognises the daemon's refusal of a network it is removing. dockerd
// 20.10 answers it as a plain error whose message is all there is to go by.
func networkNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), "network ") && strings.Contains(err.Error(), " not found")
}

// applyServices creates or updates every service of the plan, in name order.
func (d *Deployer) applyServices(ctx context.Context, p *Plan, refs refIDs, revision int, j *journal) ([]Change, error) {
	var changes []Change
	for _, spec := range p.want.services {
		spec = deepCopy(spec)
		spec.Labels[LabelRevision] = strconv.Itoa(revision)
		if err := composeext.ResolveObjectIDs(&spec, refs.secrets, refs.configs); err != nil {
			return changes, fmt.Errorf("service %s: %w", spec.Name, err)
		}
		have, ok := p.cur.service(spec.Name)
		if !ok && !p.opts.creates(spec.Name) {
			continue
		}
		if !ok {
			if err := d.createService(ctx, p, spec, refs, j); err != nil {
				return changes, err
			}
			changes = append(changes, Change{Service: spec.Name, Action: ActionCreated})
			continue
		}
		action, err := d.updateService(ctx, have, spec, refs, p.opts, j)
		if err != nil {
			return changes, err
		}
		changes = append(changes, Change{Service: spec.Name, Action: action})
	}
	return changes, nil
}

// createService creates the service. QueryRegistry stays false: our swarms are offline,
// and docker stack deploy --resolve-image never behaves the same way; images of known
// registries come already pinned to their digest. A network the
// snapshot saw may be on its way out (`docker stack rm` a moment ago): it is created
// again once Swarm has removed it, and the service with it.
func (d *Deployer) createService(ctx context.Context, p *Plan, spec swarm.ServiceSpec, refs refIDs, j *journal) error {
	opts := swarm.ServiceCreateOptions{EncodedRegistryAuth: p.opts.RegistryAuth[spec.Name]}
	resp, err := d.engine.ServiceCreate(ctx, spec, opts)
	if networkNotFound(err) {
		if err = d.recreateVanishingNetworks(ctx, p, spec, refs, j); err == nil {
			resp, err = d.engine.ServiceCreate(ctx, spec, opts)
		}
	}
	if err != nil {
		return fmt.Errorf("failed to create service %s: %w", spec.Name, err)
	}
	j.created = append(j.created, resp.ID)
	j.add("removed service "+spec.Name, func(ctx context.Context) error { return d.engine.ServiceRemove(ctx, resp.ID) })
	return nil
}

// updateService updates have to spec with the version it was read at. When another writer
// got there first it reads the service again and retries. The undo puts back the spec the
// service had before this write. opts give the service's X-Registry-Auth, and what an
// image-only deploy keeps of the swarm's spec (narrowed, again on every retry).
func (d *Deployer) updateService(ctx context.Context, have swarm.Service, spec swarm.ServiceSpec, refs refIDs, opts Options, j *journal) (string, error) {
	var action string
	first := true
	err := RetryOnConflict(func() error {
		if !first {
			var err error
			if have, _, err = d.engine.ServiceInspectWithRaw(ctx, have.ID, swarm.ServiceInspectOptions{}); err != nil {
				return fmt.Errorf("failed to inspect service %s: %w", spec.Name, err)
			}
		}
		first = false
		var next swarm.ServiceSpec
		next, action = updatedSpec(have.Spec, narrowed(have.Spec, spec, opts), refs)
		if action == ActionUnchanged && have.Spec.Labels[LabelRevision] == spec.Labels[LabelRevision] {
			return nil
		}
		if _, err := d.engine.ServiceUpdate(ctx, have.ID, have.Version, next, swarm.ServiceUpdateOptions{EncodedRegistryAuth: opts.RegistryAuth[spec.Name]}); err != nil {
			return fmt.Errorf("failed to update service %s: %w", spec.Name, err)
		}
		before := have
		j.add("restored service "+spec.Name, func(ctx context.Context) error { return d.restoreService(ctx, before) })
		return nil
	})
	return action, err
}

// restoreService puts back the spec a service had, at whatever version it is now.
func (d *Deployer) restoreService(ctx context.Context, old swarm.Service) error {
	return RetryOnConflict(func() error {
		cur, _, err := d.engine.ServiceInspectWithRaw(ctx, old.ID, swarm.ServiceInspectOptions{})
		if err != nil {
			return err
		}
		_, err = d.engine.ServiceUpdate(ctx, old.ID, cur.Version, old.Spec, swarm.ServiceUpdateOptions{})
		return err
	})
}

// updatedSpec returns the spec to send to move have to want, and whether that is an
// update or leaves the service as it is (then only the revision label changes, and Swarm
// restarts no task for a label on the service).
func updatedSpec(have, want swarm.ServiceSpec, refs refIDs) (swarm.ServiceSpec, string) {
	want = deepCopy(want)
	cs, oldCS := want.TaskTemplate.ContainerSpec, have.TaskTemplate.ContainerSpec
	if cs != nil && oldCS != nil && cs.Image == have.Labels[LabelImage] {
		// As docker stack deploy: keep the image the swarm resolved when the compose
		// file still names the same one, or every deploy would restart the tasks.
		cs.Image = oldCS.Image
	}
	// Stack deploy has no --force: keep the counter so tasks are not redeployed for it.
	want.TaskTemplate.ForceUpdate = have.TaskTemplate.ForceUpdate
	keepAutoscaled(have, &want)
	if !sameSpec(have, want, refs.networks) {
		return want, ActionUpdated
	}
	same := deepCopy(have)
	same.Labels = withLabel(same.Labels, LabelRevision, want.Labels[LabelRevision])
	return same, ActionUnchanged
}

// pruneServices removes the stack's services that the plan's stack no longer has. The
// undo creates them again from the spec they had.
func (d *Deployer) pruneServices(ctx context.Context, p *Plan, j *journal) ([]Change, error) {
	var changes []Change
	for _, svc := range p.stale() {
		if err := d.engine.ServiceRemove(ctx, svc.ID); err != nil {
			return changes, fmt.Errorf("failed to remove service %s: %w", svc.Spec.Name, err)
		}
		spec := svc.Spec
		j.add("created service "+spec.Name+" again", func(ctx context.Context) error {
			_, err := d.engine.ServiceCreate(ctx, spec, swarm.ServiceCreateOptions{})
			return err
		})
		changes = append(changes, Change{Service: svc.Spec.Name, Action: ActionRemoved})
	}
	return changes, nil
}

// refIDs maps names of the swarm objects a stack uses to their IDs; Apply adds the ones
// it creates.
type refIDs struct {
	networks, configs, secrets map[string]string
}

func newRefIDs(cur current) refIDs {
	refs := refIDs{networks: map[string]string{}, configs: map[string]string{}, secrets: map[string]string{}}
	for _, nw := range cur.networks {
		if nw.Scope == "swarm" {
			refs.networks[nw.Name] = nw.ID
		}
	}
	for _, cfg := range cur.configs {
		refs.configs[cfg.Spec.Name] = cfg.ID
	}
	for _, sec := range cur.secrets {
		refs.secrets[sec.Spec.Name] = sec.ID
	}
	return refs
}
