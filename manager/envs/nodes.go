package envs

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
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
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.envNode(env, node)
	if err != nil {
		return api.Environment{}, err
	}
	if err := s.label(ctx, n, env, true); err != nil {
		return api.Environment{}, err
	}
	return s.Inspect(env)
}

// RemoveNode takes a node out of the environment. A node that is not a member is an error
// (nothing changes). Taking out the last node of an environment that has stacks would
// leave their placement constraints matching no node, so every task of those stacks would
// stop: that is refused unless force is set. An environment with no stacks may lose its
// last node, as it is created with none.
func (s *Service) RemoveNode(ctx context.Context, env, node string, force bool) (api.Environment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.envNode(env, node)
	if err != nil {
		return api.Environment{}, err
	}
	cur, err := s.Inspect(env)
	if err != nil {
		return api.Environment{}, err
	}
	if n.Labels[NodeLabelPrefix+env] != "true" {
		return api.Environment{}, api.Errorf(api.ErrNotFound, "node %q is not a member of environment %q (its nodes: %s); nothing changed", node, env, listOrNone(cur.Nodes))
	}
	if len(cur.Nodes) == 1 && len(cur.Stacks) > 0 && !force {
		return api.Environment{}, api.Errorf(api.ErrConflict, "node %q is the last node of environment %q: removing it stops every task of its stacks (%s); add another node first, or pass --force", node, env, strings.Join(cur.Stacks, ", "))
	}
	if err := s.label(ctx, n, env, false); err != nil {
		return api.Environment{}, err
	}
	return s.Inspect(env)
}

// envNode returns the node, by ID or hostname, after checking that the environment exists.
func (s *Service) envNode(env, node string) (*state.Node, error) {
	if s.store.EnvironmentByName(nil, env) == nil {
		return nil, notFound(env)
	}
	n := s.store.NodeByID(nil, node)
	if n == nil {
		n = s.store.NodeByHostname(nil, node)
	}
	if n == nil {
		return nil, api.Errorf(api.ErrNotFound, "node %q does not exist (see `docker node ls`)", node)
	}
	return n, nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// label adds or removes the environment label on a node, retrying when a concurrent update
// bumped the node's version, and refreshes the index so the change reads back at once.
func (s *Service) label(ctx context.Context, n *state.Node, env string, member bool) error {
	key := NodeLabelPrefix + env
	err := swarm.RetryOnConflict(func() error {
		node, _, err := s.nodes.NodeInspectWithRaw(ctx, n.ID)
		if err != nil {
			return fmt.Errorf("failed to inspect node %s: %w", n.Hostname, err)
		}
		spec := node.Spec
		spec.Labels = maps.Clone(spec.Labels)
		if spec.Labels == nil {
			spec.Labels = map[string]string{}
		}
		if member {
			spec.Labels[key] = "true"
		} else {
			delete(spec.Labels, key)
		}
		if err := s.nodes.NodeUpdate(ctx, n.ID, node.Version, spec); err != nil {
			return fmt.Errorf("failed to label node %s: %w", n.Hostname, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	updated, _, err := s.nodes.NodeInspectWithRaw(ctx, n.ID)
	if err != nil {
		// The label is set; the watcher brings the node into the index shortly.
		return nil
	}
	return s.store.UpsertNodes(state.NewNode(updated))
}
