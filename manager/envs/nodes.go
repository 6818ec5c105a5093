package envs

import (
	"context"
	"fmt"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// Remove deletes an environment and takes its label off every node. It refuses while stacks
// are deployed into the environment, since their placement constraints would then match no
// node.
func (s *Service) Remove(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.Inspect(name)
	if err != nil {
		return err
	}
	if len(env.Stacks) > 0 {
		return api.Errorf(api.ErrConflict, "environment %q still has stacks (%s); remove them first with `docker exos stack rm`", name, strings.Join(env.Stacks, ", "))
	}
	for _, n := range s.store.Nodes(nil) {
		if n.Labels[NodeLabelPrefix+name] == "true" {
			if err := s.label(ctx, n, name, false); err != nil {
				return err
			}
		}
	}
	if err := s.objects.Delete(ctx, kind, name); err != nil {
		return err
	}
	return s.store.DeleteEnvironment(name)
}

// AddNode puts a node, named by ID or hostname, into the environment.
func (s *Service) AddNode(ctx context.Context, env, node string) (api.Environment, error) {
	return s.setMembership(ctx, env, node, true)
}

// RemoveNode takes a node out of the environment.
func (s *Service) RemoveNode(ctx context.Context, env, node string) (api.Environment, error) {
	return s.setMembership(ctx, env, node, false)
}

func (s *Service) setMembership(ctx context.Context, env, node string, member bool) (api.Environment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store.EnvironmentByName(nil, env) == nil {
		return api.Environment{}, notFound(env)
	}
	n := s.store.NodeByID(nil, node)
	if n == nil {
		n = s.store.NodeByHostname(nil, node)
	}
	if n == nil {
		return api.Environment{}, api.Errorf(api.ErrNotFound, "node %q does not exist (see `docker node ls`)", node)
	}
	if err := s.label(ctx, n, env, member); err != nil {
		return api.Environment{}, err
	}
	return s.Inspect(env)
}

// label adds or removes the environment label on a node, retrying when a concurrent update
// bumped the node's version, and refreshes the index so the change reads back at once.
func (s *Service) label(ctx context.Context, n *state.Node, env string, member bool) error {
	key := NodeLabelPrefix + env
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		node, _, ierr := s.nodes.NodeInspectWithRaw(ctx, n.ID)
		if ierr != nil {
			return fmt.Errorf("failed to inspect node %s: %w", n.Hostname, ierr)
		}
		spec := node.Spec
		labels := map[string]string{}
		for k, v := range spec.Labels {
			labels[k] = v
		}
		if member {
			labels[key] = "true"
		} else {
			delete(labels, key)
		}
		spec.Labels = labels
		if err = s.nodes.NodeUpdate(ctx, n.ID, node.Version, spec); err == nil {
			updated, _, ierr := s.nodes.NodeInspectWithRaw(ctx, n.ID)
			if ierr != nil {
				// The label is set; the watcher brings the node into the index shortly.
				return nil
			}
			return s.store.UpsertNodes(state.NewNode(updated))
		}
		if !strings.Contains(err.Error(), "update out of sequence") {
			break
		}
	}
	return fmt.Errorf("failed to label node %s: %w", n.Hostname, err)
}
