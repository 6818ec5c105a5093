package composeext

import (
	"fmt"
	"net/netip"

	"github.com/docker/docker/api/types/container"
)

// localDrivers are the built-in network drivers whose networks belong to one node (their
// libnetwork Capability has DataScope local). docker stack deploy sends no scope, so the
// daemon creates such a network on its own node (daemon/network.go createNetwork hands
// to Swarm only what libnetwork's NewNetwork redirects: global-scoped drivers), then every
// service on it is refused (daemon/cluster/networks.go populateNetworkID: "Only networks
// scoped to the swarm can be used"). The stack is left half-applied. Drivers EXOS does not
// know are plugins and may be swarm-scoped: they are left to the Engine.
var localDrivers = map[string]bool{
	"bridge": true, "macvlan": true, "ipvlan": true,
	// libnetwork/drivers/windows: local on Windows nodes, unknown on Linux ones.
	"nat": true, "transparent": true, "l2bridge": true, "l2tunnel": true, "ics": true,
	"private": true, "internal": true,
}

// singletonDrivers make the one network of their kind each daemon has (libnetwork's host
// and null drivers allow one instance), named as the value; none is the null network's
// name, which users write as a driver too.
var singletonDrivers = map[string]string{"host": "host", "null": "none", "none": "none"}

// predefinedLabel marks Swarm's own networks; controlapi/network.go validateNetworkSpec
// refuses it on user networks (networkallocator.PredefinedLabel).
const predefinedLabel = "com.docker.swarm.predefined"

// ingressNetwork is the routing mesh's default name; controlapi/service.go
// validateNetworks refuses services that join it.
const ingressNetwork = "ingress"

// networks checks the networks the stack creates, and the services' attachments.
func (c *preflight) networks() {
	refs := c.networkRefs()
	external := map[string]bool{}
	for _, n := range c.st.Networks {
		external[n.Name] = n.External
		if n.External {
			continue
		}
		ref := refs[n.Name]
		c.networkDriver(n.Name, n.Create.Driver, ref)
		if mode := container.NetworkMode(n.Name); mode.IsBridge() || mode.IsHost() || mode.IsNone() || mode.IsDefault() {
			// daemon/network.go createNetwork: network.IsPredefined
			c.nameProblem(ref, "network name %q is one of Docker's predefined networks, which cannot be created: declare it external: true to use it", n.Name)
		}
		if _, ok := n.Create.Labels[predefinedLabel]; ok {
			c.problem(ref.path()+".labels", "label %s is reserved for Swarm's own networks: remove it", predefinedLabel)
		}
		c.subnets(n, ref)
	}
	for _, svc := range c.st.Services {
		for _, att := range svc.Spec.TaskTemplate.Networks {
			if att.Target == ingressNetwork && external[att.Target] {
				c.problem(serviceKey(svc, "networks"), "network %q is Swarm's routing mesh, which services cannot join: publish ports to use it", ingressNetwork)
			}
		}
	}
}

func (c *preflight) networkDriver(name, driver string, ref objectRef) {
	key := ref.path() + ".driver"
	if localDrivers[driver] {
		c.problem(key, "network %q: driver %q makes a network local to one node, which Swarm services cannot use (docker stack deploy would create it, then fail on the services): use driver: overlay, or create a swarm-scoped network yourself and declare it external: true", name, driver)
	}
	if existing, ok := singletonDrivers[driver]; ok {
		c.problem(key, "network %q: driver %q cannot make a second network (each node has its one %q network): declare that one instead, with external: true and name: %s", name, driver, existing, existing)
	}
}

// subnets applies the daemon's IPAM check, which runs before the network is handed to
// Swarm (api/types/network/ipam.go ValidateIPAM, from daemon/network.go createNetwork).
// docker stack deploy passes only the subnet of each ipam config. IPv6 subnets are left
// alone: the daemon checks them only on IPv6 networks, which a stack does not ask for.
func (c *preflight) subnets(n Network, ref objectRef) {
	if n.Create.IPAM == nil {
		return
	}
	for i, cfg := range n.Create.IPAM.Config {
		key := fmt.Sprintf("%s.ipam.config.%d.subnet", ref.path(), i)
		prefix, err := netip.ParsePrefix(cfg.Subnet)
		switch {
		case err != nil:
			c.problem(key, "invalid subnet %q: give it in CIDR notation, such as 10.0.1.0/24", cfg.Subnet)
		case !prefix.Addr().Is6() && prefix != prefix.Masked():
			c.problem(key, "invalid subnet %s: it should be %s", prefix, prefix.Masked())
		}
	}
}
