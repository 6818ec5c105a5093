package swarm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// vanishTimeout bounds the wait for a network Swarm is removing.
const vanishTimeout = 30 * time.Second

// recreateVanishingNetworks handles the networks of spec that the plan found on the swarm
// but that Swarm is removing (their stack was removed natively a moment ago: Swarm
// deletes a network only once its last task is gone, and meanwhile lists it but refuses
// it to a new service). It waits until each is gone, then creates it again.
func (d *Deployer) recreateVanishingNetworks(ctx context.Context, p *Plan, spec swarm.ServiceSpec, refs refIDs, j *journal) error {
	for _, nw := range p.want.networks {
		_, existed := p.cur.network(nw.Name)
		used := slices.ContainsFunc(spec.TaskTemplate.Networks, func(a swarm.NetworkAttachmentConfig) bool { return a.Target == nw.Name })
		if nw.External || !existed || !used {
			continue
		}
		if err := d.waitNetworkGone(ctx, nw.Name); err != nil {
			return err
		}
		if err := d.createNetwork(ctx, nw.Name, nw.Create, refs, j); err != nil {
			return err
		}
	}
	return nil
}

// waitNetworkGone waits until no swarm network is called name.
func (d *Deployer) waitNetworkGone(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, vanishTimeout)
	defer cancel()
	for {
		nets, err := d.engine.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", name))})
		if err != nil {
			return fmt.Errorf("failed to list networks: %w", err)
		}
		if !slices.ContainsFunc(nets, func(n network.Summary) bool { return n.Name == name && n.Scope == "swarm" }) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("network %s is being removed and is still there after %s: deploy again once it is gone", name, vanishTimeout)
		case <-time.After(d.poll):
		}
	}
}
