package composeext

import (
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// networks attaches the service like convertServiceNetworks: the target is the network's
// full name, and the service name is an alias on user-defined networks.
func (c *converter) networks() []swarm.NetworkAttachmentConfig {
	nets := c.svc.Networks
	if len(nets) == 0 {
		nets = map[string]*types.ServiceNetworkConfig{defaultNetwork: nil}
	}
	out := []swarm.NetworkAttachmentConfig{}
	for name, cfg := range nets {
		nw, ok := c.project.Networks[name]
		if !ok && name != defaultNetwork {
			c.problem("networks", "undefined network %q", name)
			continue
		}
		target := c.ns.scope(name)
		if nw.Name != "" {
			target = nw.Name
		}
		att := swarm.NetworkAttachmentConfig{Target: target}
		if cfg != nil {
			att.Aliases = cfg.Aliases
			att.DriverOpts = cfg.DriverOpts
		}
		if container.NetworkMode(target).IsUserDefined() {
			att.Aliases = append(att.Aliases, c.svc.Name)
		}
		out = append(out, att)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target < out[j].Target })
	return out
}

// convertNetworks lists the networks services use (so `default` only when one does), like
// convert.Networks. Create.Driver is "overlay" when the file sets none, which is what the
// CLI's createNetworks sends.
func convertNetworks(ns namespace, p *types.Project) []Network {
	used := map[string]bool{}
	for _, svc := range p.Services {
		if len(svc.Networks) == 0 {
			used[defaultNetwork] = true
		}
		for name := range svc.Networks {
			used[name] = true
		}
	}
	out := []Network{}
	for name := range used {
		nw := p.Networks[name]
		full := ns.scope(name)
		if nw.Name != "" {
			full = nw.Name
		}
		if nw.External {
			out = append(out, Network{Name: full, External: true})
			continue
		}
		out = append(out, Network{Name: full, Create: networkCreate(ns, nw)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func networkCreate(ns namespace, nw types.NetworkConfig) network.CreateOptions {
	opts := network.CreateOptions{
		Labels:     ns.stackLabels(nw.Labels),
		Driver:     nw.Driver,
		Options:    nw.DriverOpts,
		Internal:   nw.Internal,
		Attachable: nw.Attachable,
	}
	if opts.Driver == "" {
		opts.Driver = "overlay"
	}
	if nw.Ipam.Driver != "" || len(nw.Ipam.Config) > 0 {
		opts.IPAM = &network.IPAM{Driver: nw.Ipam.Driver}
		for _, cfg := range nw.Ipam.Config {
			opts.IPAM.Config = append(opts.IPAM.Config, network.IPAMConfig{Subnet: cfg.Subnet})
		}
	}
	return opts
}
