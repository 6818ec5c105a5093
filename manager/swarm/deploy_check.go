package swarm

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// checkStack returns every reason why want cannot be applied to cur, joined.
func checkStack(want desired, cur current) error {
	var errs []error
	for _, nw := range want.networks {
		errs = append(errs, checkNetwork(want.name, nw.Name, nw.External, nw.Create, cur))
	}
	for _, cfg := range want.configs {
		errs = append(errs, checkConfig(want.name, cfg.External, cfg.Spec, cur))
	}
	for _, sec := range want.secrets {
		_, ok := cur.secret(sec.Spec.Name)
		switch {
		case sec.External && !ok:
			errs = append(errs, api.Errorf(api.ErrInvalid, "secret %q is declared as external, but could not be found: create it before the stack is deployed", sec.Spec.Name))
		case sec.Keep && !ok:
			errs = append(errs, api.Errorf(api.ErrInvalid, "secret %q was made from a password that EXOS does not keep, and the swarm no longer has it: deploy again giving the password", sec.Spec.Name))
		}
	}
	for _, spec := range want.services {
		errs = append(errs, checkService(want, spec, cur))
	}
	return errors.Join(errs...)
}

func checkNetwork(stack, name string, external bool, want network.CreateOptions, cur current) error {
	if external && !container.NetworkMode(name).IsUserDefined() {
		// host, bridge, none: they exist on every node as local networks.
		return nil
	}
	have, ok := cur.network(name)
	switch {
	case external && !ok:
		return api.Errorf(api.ErrInvalid, "network %q is declared as external, but could not be found: create a swarm-scoped network before the stack is deployed", name)
	case external || !ok:
		return nil
	case have.Labels[LabelNamespace] != stack:
		return api.Errorf(api.ErrConflict, "network %q exists but does not belong to stack %s: remove it or rename the network", name, stack)
	}
	if diffs := networkDiffs(want, have); len(diffs) > 0 {
		return api.Errorf(api.ErrConflict, "network %q of stack %s exists with a different %s; networks cannot be changed: remove the stack's services using it and the network, or rename the network",
			name, stack, strings.Join(diffs, ", "))
	}
	return nil
}

// networkDiffs lists what of want the existing network does not have. Options the
// driver adds on its own (overlay's vxlanid_list) are not differences.
func networkDiffs(want network.CreateOptions, have network.Summary) []string {
	var diffs []string
	if want.Driver != have.Driver {
		diffs = append(diffs, fmt.Sprintf("driver (%s, not %s)", have.Driver, want.Driver))
	}
	if want.Internal != have.Internal {
		diffs = append(diffs, "internal setting")
	}
	if want.Attachable != have.Attachable {
		diffs = append(diffs, "attachable setting")
	}
	for _, key := range slices.Sorted(maps.Keys(want.Options)) {
		if got, ok := have.Options[key]; !ok || got != want.Options[key] {
			diffs = append(diffs, "driver option "+key)
		}
	}
	if want.IPAM != nil {
		for _, cfg := range want.IPAM.Config {
			if !slices.ContainsFunc(have.IPAM.Config, func(h network.IPAMConfig) bool { return h.Subnet == cfg.Subnet }) {
				diffs = append(diffs, "subnet "+cfg.Subnet)
			}
		}
	}
	return diffs
}

func checkConfig(stack string, external bool, want swarm.ConfigSpec, cur current) error {
	have, ok := cur.config(want.Name)
	switch {
	case external && !ok:
		return api.Errorf(api.ErrInvalid, "config %q is declared as external, but could not be found: create it before the stack is deployed", want.Name)
	case external || !ok || sameConfigContent(want, have.Spec):
		return nil
	}
	if users := cur.usersOf(have.ID); len(users) > 0 {
		return api.Errorf(api.ErrConflict, "config %q changed, but Swarm configs cannot change and it is used by %s: give the changed config a new name (for example with a version suffix)",
			want.Name, strings.Join(users, ", "))
	}
	return nil
}

func checkService(want desired, spec swarm.ServiceSpec, cur current) error {
	var errs []error
	if have, ok := cur.service(spec.Name); ok && have.Spec.Labels[LabelNamespace] != want.name {
		errs = append(errs, api.Errorf(api.ErrConflict, "service %q exists but does not belong to stack %s: remove it or rename the service", spec.Name, want.name))
	}
	for _, nw := range spec.TaskTemplate.Networks {
		_, onSwarm := cur.network(nw.Target)
		inStack := slices.ContainsFunc(want.networks, func(n composeext.Network) bool { return n.Name == nw.Target })
		if !onSwarm && !inStack {
			errs = append(errs, api.Errorf(api.ErrInvalid, "service %q uses network %q, which the stack does not define", spec.Name, nw.Target))
		}
	}
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return errors.Join(errs...)
	}
	for _, ref := range cs.Configs {
		if !slices.ContainsFunc(want.configs, func(c composeext.Config) bool { return c.Spec.Name == ref.ConfigName }) {
			errs = append(errs, api.Errorf(api.ErrInvalid, "service %q uses config %q, which the stack does not define", spec.Name, ref.ConfigName))
		}
	}
	for _, ref := range cs.Secrets {
		if !slices.ContainsFunc(want.secrets, func(s composeext.Secret) bool { return s.Spec.Name == ref.SecretName }) {
			errs = append(errs, api.Errorf(api.ErrInvalid, "service %q uses secret %q, which the stack does not define", spec.Name, ref.SecretName))
		}
	}
	return errors.Join(errs...)
}
