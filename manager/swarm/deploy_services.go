package swarm

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/swarm"
)

// maxUpdateAttempts bounds the retries of a service update that another writer (the
// autoscaler, a user) raced: Swarm refuses a stale version with "update out of sequence".
const maxUpdateAttempts = 5

// applyServices creates or updates every service of want, in name order.
func (d *Deployer) applyServices(ctx context.Context, want desired, cur current, revision int) ([]Change, error) {
	refs := newRefIDs(cur)
	var changes []Change
	for _, spec := range want.services {
		spec.Labels[LabelRevision] = strconv.Itoa(revision)
		refs.resolve(&spec)
		have, ok := cur.service(spec.Name)
		if !ok {
			// QueryRegistry stays false: our swarms are offline, and docker stack deploy
			// --resolve-image never behaves the same way.
			if _, err := d.engine.ServiceCreate(ctx, spec, swarm.ServiceCreateOptions{}); err != nil {
				return changes, fmt.Errorf("failed to create service %s: %w", spec.Name, err)
			}
			changes = append(changes, Change{Service: spec.Name, Action: ActionCreated})
			continue
		}
		action, err := d.updateService(ctx, have, spec, refs)
		if err != nil {
			return changes, err
		}
		changes = append(changes, Change{Service: spec.Name, Action: action})
	}
	return changes, nil
}

// updateService updates have to spec with the version it was read at. When another writer
// got there first it reads the service again and retries, up to maxUpdateAttempts times.
func (d *Deployer) updateService(ctx context.Context, have swarm.Service, spec swarm.ServiceSpec, refs refIDs) (string, error) {
	for attempt := 1; ; attempt++ {
		next, action := updatedSpec(have.Spec, spec, refs)
		if action == ActionUnchanged && have.Spec.Labels[LabelRevision] == spec.Labels[LabelRevision] {
			return action, nil
		}
		_, err := d.engine.ServiceUpdate(ctx, have.ID, have.Version, next, swarm.ServiceUpdateOptions{})
		if err == nil {
			return action, nil
		}
		if !outOfSequence(err) || attempt == maxUpdateAttempts {
			return "", fmt.Errorf("failed to update service %s: %w", spec.Name, err)
		}
		if have, _, err = d.engine.ServiceInspectWithRaw(ctx, have.ID, swarm.ServiceInspectOptions{}); err != nil {
			return "", fmt.Errorf("failed to inspect service %s: %w", spec.Name, err)
		}
	}
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

// outOfSequence reports whether Swarm refused an update because the version was stale.
// The daemon sends it as a plain 500 with swarmkit's message, so the message is all there
// is to recognise it by.
func outOfSequence(err error) bool {
	return strings.Contains(err.Error(), "update out of sequence")
}

// refIDs maps names of swarm objects to their IDs.
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

// resolve fills in the config and secret IDs that Swarm requires and the converter, which
// never talks to Docker, cannot know. spec must be one of desired's copies: it is changed.
func (r refIDs) resolve(spec *swarm.ServiceSpec) {
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return
	}
	for _, ref := range cs.Configs {
		ref.ConfigID = r.configs[ref.ConfigName]
	}
	for _, ref := range cs.Secrets {
		ref.SecretID = r.secrets[ref.SecretName]
	}
}
