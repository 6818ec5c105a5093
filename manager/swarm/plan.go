package swarm

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// defaultNetworkDriver is what docker stack deploy creates a network with when none is given.
const defaultNetworkDriver = "overlay"

// desired is the stack as it must look on the swarm. It is built from deep copies, so
// setting names and labels never touches the caller's composeext.Stack.
type desired struct {
	name     string
	services []swarm.ServiceSpec // full names, namespace label; no revision label yet
	networks []composeext.Network
	configs  []composeext.Config
	secrets  []composeext.Secret
}

// desiredStack copies stack and sets what docker stack deploy guarantees whatever the
// converter did: scoped service names, the namespace label on everything the stack owns
// and the overlay driver on networks that name none.
func desiredStack(stack *composeext.Stack) desired {
	want := desired{name: stack.Name}
	for _, svc := range stack.Services {
		spec := deepCopy(svc.Spec)
		spec.Name = scopedName(stack.Name, svc.Name)
		spec.Labels = withLabel(spec.Labels, LabelNamespace, stack.Name)
		want.services = append(want.services, spec)
	}
	for _, nw := range stack.Networks {
		nw = deepCopy(nw)
		if !nw.External {
			nw.Create.Labels = withLabel(nw.Create.Labels, LabelNamespace, stack.Name)
			if nw.Create.Driver == "" {
				nw.Create.Driver = defaultNetworkDriver
			}
		}
		want.networks = append(want.networks, nw)
	}
	for _, cfg := range stack.Configs {
		cfg = deepCopy(cfg)
		if !cfg.External {
			cfg.Spec.Labels = withLabel(cfg.Spec.Labels, LabelNamespace, stack.Name)
		}
		want.configs = append(want.configs, cfg)
	}
	for _, sec := range stack.Secrets {
		sec = deepCopy(sec)
		if !sec.External {
			sec.Spec.Labels = withLabel(sec.Spec.Labels, LabelNamespace, stack.Name)
		}
		want.secrets = append(want.secrets, sec)
	}
	return want
}

// scopedName is the name docker stack gives an object of a stack on the swarm.
func scopedName(stack, name string) string { return stack + "_" + name }

// withLabel returns a copy of labels with key set to value.
func withLabel(labels map[string]string, key, value string) map[string]string {
	out := maps.Clone(labels)
	if out == nil {
		out = map[string]string{}
	}
	out[key] = value
	return out
}

// deepCopy copies v through JSON: the Engine API types are JSON all the way down (that is
// how they travel), so nothing is lost, and no pointer or map is shared with the original.
func deepCopy[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("copy %T: %v", v, err)) // API types always marshal
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("copy %T: %v", v, err))
	}
	return out
}

// current is what the swarm holds, listed once so that checks and plans look at one moment.
type current struct {
	services []swarm.Service
	networks []network.Summary
	configs  []swarm.Config
	secrets  []swarm.Secret
}

func (d *Deployer) snapshot(ctx context.Context) (current, error) {
	var cur current
	var err error
	if cur.services, err = d.engine.ServiceList(ctx, swarm.ServiceListOptions{}); err != nil {
		return cur, fmt.Errorf("failed to list services: %w", err)
	}
	if cur.networks, err = d.engine.NetworkList(ctx, network.ListOptions{}); err != nil {
		return cur, fmt.Errorf("failed to list networks: %w", err)
	}
	if cur.configs, err = d.engine.ConfigList(ctx, swarm.ConfigListOptions{}); err != nil {
		return cur, fmt.Errorf("failed to list configs: %w", err)
	}
	if cur.secrets, err = d.engine.SecretList(ctx, swarm.SecretListOptions{}); err != nil {
		return cur, fmt.Errorf("failed to list secrets: %w", err)
	}
	return cur, nil
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

// usersOf returns the names of the services that reference the config, secret or network
// with this ID (networks also by name, as specs may carry either), sorted.
func (c current) usersOf(id, name string) []string {
	var users []string
	for _, svc := range c.services {
		if references(svc.Spec, id, name) {
			users = append(users, svc.Spec.Name)
		}
	}
	slices.Sort(users)
	return users
}

func references(spec swarm.ServiceSpec, id, name string) bool {
	for _, nw := range slices.Concat(spec.TaskTemplate.Networks, spec.Networks) { //nolint:staticcheck // old clients still set Spec.Networks
		if nw.Target == id || nw.Target == name {
			return true
		}
	}
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
	return false
}
