package swarm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
)

// Remove removes the stack like `docker stack rm`: its services first, then, once their
// tasks are gone (Swarm refuses to remove a network tasks still use; the wait is bounded
// by ctx), its secrets, configs and networks. It keeps going past failures and returns
// them all, with what it did remove, in that order. A stack with nothing on the swarm is
// an error wrapping api.ErrNotFound.
func (d *Deployer) Remove(ctx context.Context, stack string) ([]api.RemovedObject, error) {
	own, err := d.stackSnapshot(ctx, stack)
	if err != nil {
		return nil, err
	}
	if len(own.services)+len(own.networks)+len(own.configs)+len(own.secrets) == 0 {
		return nil, api.Errorf(api.ErrNotFound, "stack %s: nothing found on the swarm", stack)
	}
	removed, kept, errs := d.removeServices(ctx, own.services)
	if err := d.waitStackTasksGone(ctx, stack, kept); err != nil {
		return removed, errors.Join(append(errs, err)...)
	}
	objects, objErrs := d.removeObjects(ctx, own)
	return append(removed, objects...), errors.Join(append(errs, objErrs...)...)
}

// removeServices removes services in name order and returns those it removed, and the
// IDs of those it could not remove.
func (d *Deployer) removeServices(ctx context.Context, services []swarm.Service) (removed []api.RemovedObject, kept []string, errs []error) {
	services = slices.Clone(services)
	sort.Slice(services, func(i, j int) bool { return services[i].Spec.Name < services[j].Spec.Name })
	for _, svc := range services {
		if err := d.engine.ServiceRemove(ctx, svc.ID); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove service %s: %w", svc.Spec.Name, err))
			kept = append(kept, svc.ID)
			continue
		}
		removed = append(removed, api.RemovedObject{Kind: "service", Name: svc.Spec.Name})
	}
	return removed, kept, errs
}

// removeObjects removes secrets, then configs, then networks, as docker stack rm does,
// each kind in name order (the Engine lists them in no set order), and returns those it
// removed.
func (d *Deployer) removeObjects(ctx context.Context, own current) ([]api.RemovedObject, []error) {
	slices.SortFunc(own.secrets, func(a, b swarm.Secret) int { return strings.Compare(a.Spec.Name, b.Spec.Name) })
	slices.SortFunc(own.configs, func(a, b swarm.Config) int { return strings.Compare(a.Spec.Name, b.Spec.Name) })
	slices.SortFunc(own.networks, func(a, b network.Summary) int { return strings.Compare(a.Name, b.Name) })
	var removed []api.RemovedObject
	var errs []error
	remove := func(kind, name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("failed to remove %s %s: %w", kind, name, err))
			return
		}
		removed = append(removed, api.RemovedObject{Kind: kind, Name: name})
	}
	for _, sec := range own.secrets {
		remove("secret", sec.Spec.Name, d.engine.SecretRemove(ctx, sec.ID))
	}
	for _, cfg := range own.configs {
		remove("config", cfg.Spec.Name, d.engine.ConfigRemove(ctx, cfg.ID))
	}
	for _, nw := range own.networks {
		remove("network", nw.Name, d.engine.NetworkRemove(ctx, nw.ID))
	}
	return removed, errs
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
