package swarm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
)

// Remove removes the stack like `docker stack rm`: its services first, then, once their
// tasks are gone (Swarm refuses to remove a network tasks still use; the wait is bounded
// by ctx), its networks, configs and secrets. It keeps going past failures and returns
// them all. A stack with nothing on the swarm is an error wrapping api.ErrNotFound.
func (d *Deployer) Remove(ctx context.Context, stack string) error {
	own, err := d.stackSnapshot(ctx, stack)
	if err != nil {
		return err
	}
	if len(own.services)+len(own.networks)+len(own.configs)+len(own.secrets) == 0 {
		return api.Errorf(api.ErrNotFound, "stack %s: nothing found on the swarm", stack)
	}
	removed, errs := d.removeServices(ctx, own.services)
	var kept []string
	for _, svc := range own.services {
		if !slices.Contains(removed, svc.ID) {
			kept = append(kept, svc.ID)
		}
	}
	if err := d.waitStackTasksGone(ctx, stack, kept); err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, d.removeObjects(ctx, own)...)
	return errors.Join(errs...)
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
	return d.waitTasks(ctx, stack, func(t swarm.Task) bool { return slices.Contains(serviceIDs, t.ServiceID) })
}

// waitStackTasksGone waits until no task of the stack is left but those of the services
// in kept (whose removal failed), whichever removal (this one, or an earlier prune) made
// them go.
func (d *Deployer) waitStackTasksGone(ctx context.Context, stack string, kept []string) error {
	return d.waitTasks(ctx, stack, func(t swarm.Task) bool { return !slices.Contains(kept, t.ServiceID) })
}

func (d *Deployer) waitTasks(ctx context.Context, stack string, match func(swarm.Task) bool) error {
	opts := swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelNamespace+"="+stack))}
	for {
		tasks, err := d.engine.TaskList(ctx, opts)
		if err != nil {
			return fmt.Errorf("failed to list tasks of stack %s: %w", stack, err)
		}
		left := slices.IndexFunc(tasks, func(t swarm.Task) bool { return match(t) && !finished(t) })
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
