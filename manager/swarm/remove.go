package swarm

import (
	"context"
	"errors"
	"fmt"
	"github.com/exos-platform/exos/manager/api"
	"slices"
	"sort"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// Remove removes the stack like `docker stack rm`: its services first, then, once their
// tasks are gone (Swarm refuses to remove a network tasks still use; the wait is bounded
// by ctx), its networks, configs and secrets. It keeps going past failures and returns
// them all. A stack with nothing on the swarm is an error wrapping ErrNotFound.
func (d *Deployer) Remove(ctx context.Context, stack string) error {
	cur, err := d.snapshot(ctx)
	if err != nil {
		return err
	}
	own := cur.ownedBy(stack)
	if len(own.services)+len(own.networks)+len(own.configs)+len(own.secrets) == 0 {
		return api.Errorf(ErrNotFound, "stack %s: nothing found on the swarm", stack)
	}
	removed, errs := d.removeServices(ctx, own.services)
	if err := d.waitTasksGone(ctx, stack, removed); err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, d.removeObjects(ctx, own)...)
	return errors.Join(errs...)
}

// ownedBy returns the objects labelled as belonging to stack.
func (c current) ownedBy(stack string) current {
	var own current
	for _, svc := range c.services {
		if svc.Spec.Labels[LabelNamespace] == stack {
			own.services = append(own.services, svc)
		}
	}
	for _, nw := range c.networks {
		if nw.Labels[LabelNamespace] == stack && nw.Scope == "swarm" {
			own.networks = append(own.networks, nw)
		}
	}
	for _, cfg := range c.configs {
		if cfg.Spec.Labels[LabelNamespace] == stack {
			own.configs = append(own.configs, cfg)
		}
	}
	for _, sec := range c.secrets {
		if sec.Spec.Labels[LabelNamespace] == stack {
			own.secrets = append(own.secrets, sec)
		}
	}
	return own
}

// removeServices removes services in name order and returns the IDs it removed.
func (d *Deployer) removeServices(ctx context.Context, services []swarm.Service) ([]string, []error) {
	services = slices.Clone(services)
	sort.Slice(services, func(i, j int) bool { return services[i].Spec.Name < services[j].Spec.Name })
	var ids []string
	var errs []error
	for _, svc := range services {
		if err := d.engine.ServiceRemove(ctx, svc.ID); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove service %s: %w", svc.Spec.Name, err))
			continue
		}
		ids = append(ids, svc.ID)
	}
	return ids, errs
}

// removeObjects removes networks, then configs, then secrets, as docker stack rm does.
func (d *Deployer) removeObjects(ctx context.Context, own current) []error {
	var errs []error
	for _, nw := range own.networks {
		if err := d.engine.NetworkRemove(ctx, nw.ID); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove network %s: %w", nw.Name, err))
		}
	}
	for _, cfg := range own.configs {
		if err := d.engine.ConfigRemove(ctx, cfg.ID); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove config %s: %w", cfg.Spec.Name, err))
		}
	}
	for _, sec := range own.secrets {
		if err := d.engine.SecretRemove(ctx, sec.ID); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove secret %s: %w", sec.Spec.Name, err))
		}
	}
	return errs
}

// waitTasksGone waits until Swarm has deleted every task of the given services of stack.
// Swarm deletes the tasks of a removed service once they have stopped.
func (d *Deployer) waitTasksGone(ctx context.Context, stack string, serviceIDs []string) error {
	if len(serviceIDs) == 0 {
		return nil
	}
	opts := swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelNamespace+"="+stack))}
	for {
		tasks, err := d.engine.TaskList(ctx, opts)
		if err != nil {
			return fmt.Errorf("failed to list tasks of stack %s: %w", stack, err)
		}
		left := slices.IndexFunc(tasks, func(t swarm.Task) bool { return slices.Contains(serviceIDs, t.ServiceID) && !finished(t) })
		if left < 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the tasks of the removed services of stack %s to stop: %w", stack, ctx.Err())
		case <-time.After(d.poll):
		}
	}
}

// finished says whether a task can no longer hold a container or a network attachment.
// dockerd 20.10 never reaps the completed tasks of a removed job service, so waiting for
// those to disappear would wait forever.
func finished(t swarm.Task) bool {
	switch t.Status.State {
	case swarm.TaskStateComplete, swarm.TaskStateShutdown, swarm.TaskStateFailed,
		swarm.TaskStateRejected, swarm.TaskStateOrphaned, swarm.TaskStateRemove:
		return true
	}
	return false
}

// pruneServices removes the services of the stack that want no longer has.
func (d *Deployer) pruneServices(ctx context.Context, want desired, cur current) ([]Change, error) {
	var gone []swarm.Service
	for _, svc := range cur.ownedBy(want.name).services {
		if !slices.ContainsFunc(want.services, func(s swarm.ServiceSpec) bool { return s.Name == svc.Spec.Name }) {
			gone = append(gone, svc)
		}
	}
	ids, errs := d.removeServices(ctx, gone)
	var changes []Change
	for _, svc := range gone {
		if slices.Contains(ids, svc.ID) {
			changes = append(changes, Change{Service: svc.Spec.Name, Action: ActionRemoved})
		}
	}
	if err := d.waitTasksGone(ctx, want.name, ids); err != nil {
		errs = append(errs, err)
	}
	return changes, errors.Join(errs...)
}

// pruneObjects removes the stack's networks, configs and secrets that want no longer has
// and that no service uses (another stack may use one as external; it stays then).
func (d *Deployer) pruneObjects(ctx context.Context, want desired) error {
	cur, err := d.snapshot(ctx)
	if err != nil {
		return err
	}
	own := cur.ownedBy(want.name)
	var stale current
	for _, nw := range own.networks {
		if !slices.ContainsFunc(want.networks, func(n composeext.Network) bool { return n.Name == nw.Name }) && len(cur.usersOf(nw.ID, nw.Name)) == 0 {
			stale.networks = append(stale.networks, nw)
		}
	}
	for _, cfg := range own.configs {
		if !slices.ContainsFunc(want.configs, func(c composeext.Config) bool { return c.Spec.Name == cfg.Spec.Name }) && len(cur.usersOf(cfg.ID, "")) == 0 {
			stale.configs = append(stale.configs, cfg)
		}
	}
	for _, sec := range own.secrets {
		if !slices.ContainsFunc(want.secrets, func(s composeext.Secret) bool { return s.Spec.Name == sec.Spec.Name }) && len(cur.usersOf(sec.ID, "")) == 0 {
			stale.secrets = append(stale.secrets, sec)
		}
	}
	return errors.Join(d.removeObjects(ctx, stale)...)
}
