package swarm

import (
	"encoding/json"
	"fmt"
	"maps"

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
