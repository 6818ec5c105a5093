package hooks

import (
	"context"

	"github.com/hashicorp/go-memdb"

	"github.com/exos-platform/exos/manager/api"
)

// FollowRollouts records in the hooks' history how each deployment's rollout ended
// (converged, rolled back by Swarm, failed, or replaced by a later revision, with the
// reason), so that the history tells what became of a push whose status no CI polls: a
// registry notification's. It follows the index until ctx ends; a rollout still going
// deployTimeout after its push is no longer followed (its status URL still tells).
func (d *Deploys) FollowRollouts(ctx context.Context) {
	for {
		ws := memdb.NewWatchSet()
		d.recordEnded(ws)
		if err := ws.WatchCtx(ctx); err != nil {
			return
		}
	}
}

// recordEnded records the rollouts that ended, and adds to ws what wakes it when a
// deploy is made or the index changes for one still rolling out.
func (d *Deploys) recordEnded(ws memdb.WatchSet) {
	d.mu.Lock()
	ws.Add(d.deployed)
	var rolling []*deployment
	for _, id := range d.deployments.order {
		dep := d.deployments.m[id]
		if dep.phase == phaseDone && dep.failure == "" && !dep.followed {
			rolling = append(rolling, dep)
		}
	}
	d.mu.Unlock()
	for _, dep := range rolling {
		if d.now().Sub(dep.received) > deployTimeout {
			d.setFollowed(dep)
			continue
		}
		for _, svc := range d.swarm.ServicesByStack(ws, dep.stack) {
			d.swarm.TasksByService(ws, svc.ID)
		}
		st := d.status(dep)
		outcome, ok := rolloutOutcomes[st.Status]
		if !ok {
			continue
		}
		d.setFollowed(dep)
		d.record(api.DeployDelivery{
			Hook: dep.hook, Stack: dep.stack, Format: dep.format, Image: dep.image, Deployment: dep.id, Actor: api.DeployHookActor(dep.hook),
			Source: dep.source, Outcome: outcome, Revision: lastRevision(st.Revisions), Reason: st.Reason,
		})
	}
}

// rolloutOutcomes are the history's outcomes of the statuses a rollout ends in.
var rolloutOutcomes = map[string]string{
	api.DeploymentConverged:  api.DeliveryConverged,
	api.DeploymentRolledBack: api.DeliveryRolledBack,
	api.DeploymentFailed:     api.DeliveryFailed,
	api.DeploymentSuperseded: api.DeliverySuperseded,
}

func (d *Deploys) setFollowed(dep *deployment) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dep.followed = true
}

// wakeFollower tells FollowRollouts a deploy was made; d.mu is held.
func (d *Deploys) wakeFollower() {
	close(d.deployed)
	d.deployed = make(chan struct{})
}
