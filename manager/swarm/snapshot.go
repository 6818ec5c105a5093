package swarm

import (
	"context"
	"fmt"
	"slices"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// current is what the swarm holds of one stack, listed once so that checks and writes
// look at one moment.
type current struct {
	services []swarm.Service
	networks []network.Summary
	configs  []swarm.Config
	secrets  []swarm.Secret
}

// snapshot lists what a deploy of want can touch, and only that: the services named with
// the stack's prefix, and the networks, configs and secrets the stack names (its own and
// external ones). Lists are filtered by the Engine, as docker stack deploy filters them,
// so a deploy's cost does not grow with the rest of the swarm (EXOS's own state included:
// configs carry whole revision documents).
func (d *Deployer) snapshot(ctx context.Context, want desired) (current, error) {
	var cur current
	var err error
	byPrefix := filters.NewArgs(filters.Arg("name", want.name+"_"))
	if cur.services, err = d.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: byPrefix}); err != nil {
		return cur, fmt.Errorf("failed to list services: %w", err)
	}
	if len(want.networks) > 0 {
		names := filters.NewArgs()
		for _, nw := range want.networks {
			// Swarm matches cluster networks by exact name, the daemon local ones as a
			// regular expression: a plain name finds the network either way.
			names.Add("name", nw.Name)
		}
		if cur.networks, err = d.engine.NetworkList(ctx, network.ListOptions{Filters: names}); err != nil {
			return cur, fmt.Errorf("failed to list networks: %w", err)
		}
	}
	if len(want.configs) > 0 {
		names := filters.NewArgs()
		for _, c := range want.configs {
			names.Add("name", c.Spec.Name)
		}
		if cur.configs, err = d.engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: names}); err != nil {
			return cur, fmt.Errorf("failed to list configs: %w", err)
		}
	}
	if len(want.secrets) > 0 {
		names := filters.NewArgs()
		for _, s := range want.secrets {
			names.Add("name", s.Spec.Name)
		}
		if cur.secrets, err = d.engine.SecretList(ctx, swarm.SecretListOptions{Filters: names}); err != nil {
			return cur, fmt.Errorf("failed to list secrets: %w", err)
		}
	}
	return cur, nil
}

// stackSnapshot lists every object labelled as the stack's, for a removal.
func (d *Deployer) stackSnapshot(ctx context.Context, stack string) (current, error) {
	var cur current
	var err error
	label := filters.NewArgs(filters.Arg("label", LabelNamespace+"="+stack))
	if cur.services, err = d.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: label}); err != nil {
		return cur, fmt.Errorf("failed to list services: %w", err)
	}
	if cur.networks, err = d.engine.NetworkList(ctx, network.ListOptions{Filters: label}); err != nil {
		return cur, fmt.Errorf("failed to list networks: %w", err)
	}
	if cur.configs, err = d.engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: label}); err != nil {
		return cur, fmt.Errorf("failed to list configs: %w", err)
	}
	if cur.secrets, err = d.engine.SecretList(ctx, swarm.SecretListOptions{Filters: label}); err != nil {
		return cur, fmt.Errorf("failed to list secrets: %w", err)
	}
	return cur.ownedBy(stack), nil
}

// versions are the services' versions, by name.
func (c current) versions() map[string]uint64 {
	out := make(map[string]uint64, len(c.services))
	for _, svc := range c.services {
		out[svc.Spec.Name] = svc.Version.Index
	}
	return out
}

// service returns the service called name, if any.
func (c current) service(name string) (swarm.Service, bool) {
	for _, svc := range c.services {
		if svc.Spec.Name == name {
			return svc, true
		}
	}
	return swarm.Service{}, false
}

// network returns the swarm-scoped network called name, if any. Local networks of the
// node answering may share the name but are not what services attach to.
func (c current) network(name string) (network.Summary, bool) {
	for _, nw := range c.networks {
		if nw.Name == name && nw.Scope == "swarm" {
			return nw, true
		}
	}
	return network.Summary{}, false
}

func (c current) config(name string) (swarm.Config, bool) {
	for _, cfg := range c.configs {
		if cfg.Spec.Name == name {
			return cfg, true
		}
	}
	return swarm.Config{}, false
}

func (c current) secret(name string) (swarm.Secret, bool) {
	for _, sec := range c.secrets {
		if sec.Spec.Name == name {
			return sec, true
		}
	}
	return swarm.Secret{}, false
}

// usersOf returns the names of the listed services that reference the config or secret
// with this ID, sorted. Services of other stacks are not listed: Swarm itself refuses to
// remove an object they use, and the deploy is then undone.
func (c current) usersOf(id string) []string {
	var users []string
	for _, svc := range c.services {
		if references(svc.Spec, id) {
			users = append(users, svc.Spec.Name)
		}
	}
	slices.Sort(users)
	return users
}

func references(spec swarm.ServiceSpec, id string) bool {
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return false
	}
	for _, ref := range cs.Configs {
		if ref.ConfigID == id {
			return true
		}
	}
	for _, ref := range cs.Secrets {
		if ref.SecretID == id {
			return true
		}
	}
	return cs.Privileges != nil && cs.Privileges.CredentialSpec != nil && cs.Privileges.CredentialSpec.Config == id
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

// stale returns the stack's services on the swarm that the plan's stack does not have.
func (p *Plan) stale() []swarm.Service {
	var out []swarm.Service
	for _, svc := range p.cur.ownedBy(p.want.name).services {
		if !slices.ContainsFunc(p.want.services, func(s swarm.ServiceSpec) bool { return s.Name == svc.Spec.Name }) {
			out = append(out, svc)
		}
	}
	return out
}
