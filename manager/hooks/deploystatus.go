package hooks

import (
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// Status answers a deployment's status to whoever holds the token of the hook that made
// it. A deployment of another hook, or one no longer kept, is not found; a bad token gets
// the same 401 as a delivery.
func (d *Deploys) Status(hookID, token, deploymentID string) (api.Deployment, error) {
	hook, err := d.Hooks.Authenticate(api.HookKindDeploy, hookID, token)
	if err != nil {
		d.Hooks.CountRejected(hookID)
		return api.Deployment{}, err
	}
	dep, ok := d.deployment(deploymentID)
	if !ok || dep.hook != hook.ID {
		return api.Deployment{}, api.Errorf(api.ErrNotFound, "deployment %q of hook %s does not exist (the manager keeps the last %d deployments, and forgets them when it restarts)", deploymentID, hook.ID, keptDeployments)
	}
	return d.status(dep), nil
}

// status derives where a deployment stands. Until its deploy has run, from its phase;
// after, from what the stack service and the swarm say: each revision's state (the stack
// service marks a revision failed when Swarm rolls its rollout back or pauses it), then
// each service's update status and tasks in the index.
func (d *Deploys) status(dep *deployment) api.Deployment {
	d.mu.Lock()
	out := api.Deployment{
		ID: dep.id, Hook: dep.hook, Stack: dep.stack, Services: dep.services, Image: dep.image, Format: dep.format,
		ReceivedAt: dep.received, Actor: api.DeployHookActor(dep.hook), Source: dep.source,
		Revisions: append([]int(nil), dep.revisions...), SupersededBy: dep.supersededBy,
	}
	phase, failure := dep.phase, dep.failure
	d.mu.Unlock()
	switch {
	case phase == phasePending:
		out.Status, out.Reason = api.DeploymentPending, "waiting for an earlier deploy of the stack to be made"
	case phase == phaseSuperseded:
		out.Status, out.Reason = api.DeploymentSuperseded, "a newer push to the stack replaced it before it ran (deployment "+dep.supersededBy+")"
	case phase == phaseDeploying:
		out.Status = api.DeploymentConverging
	case failure != "":
		out.Status, out.Reason = api.DeploymentFailed, failure
	default:
		out.Status, out.Reason = d.rollout(dep)
	}
	return out
}

// rollout combines the services' rollouts: failed or rolled back if any is, converging
// while any is, converged when all are.
func (d *Deploys) rollout(dep *deployment) (string, string) {
	services := map[string]*state.Service{}
	for _, svc := range d.swarm.ServicesByStack(nil, dep.stack) {
		services[svc.Name] = svc
	}
	status, reasons := api.DeploymentConverged, []string{}
	rank := map[string]int{api.DeploymentConverged: 0, api.DeploymentSuperseded: 1, api.DeploymentConverging: 2, api.DeploymentRolledBack: 3, api.DeploymentFailed: 4}
	for i, name := range dep.services {
		rev := 0
		if i < len(dep.revisions) {
			rev = dep.revisions[i]
		}
		st, reason := d.serviceRollout(dep, services[name], rev)
		if reason != "" {
			reasons = append(reasons, name+": "+reason)
		}
		if rank[st] > rank[status] {
			status = st
		}
	}
	return status, strings.Join(reasons, "; ")
}

// serviceRollout is one service's rollout of the deployment's revision (0: the service
// already ran the image, so only its tasks are looked at).
func (d *Deploys) serviceRollout(dep *deployment, svc *state.Service, rev int) (string, string) {
	if rev != 0 {
		r, err := d.stacks.Revision(dep.stack, rev)
		switch {
		case err != nil:
			return api.DeploymentFailed, fmt.Sprintf("revision %d cannot be read: %v", rev, err)
		case r.State == api.RevisionFailed && svc != nil && rollingBack(svc):
			return api.DeploymentRolledBack, r.Reason
		case r.State == api.RevisionFailed:
			return api.DeploymentFailed, r.Reason
		case r.State == api.RevisionPending:
			return api.DeploymentConverging, ""
		}
	}
	if svc == nil {
		return api.DeploymentFailed, "the service no longer exists"
	}
	// A later revision (the next push's, or a manual deploy) that changed the image ends
	// it: the service will never run this image again, converged or not.
	if rev != 0 && svc.Revision > rev && !sameImage(serviceImage(svc), dep.image) {
		return api.DeploymentSuperseded, fmt.Sprintf("revision %d has since replaced it with %s", svc.Revision, serviceImage(svc))
	}
	if u := svc.Raw.UpdateStatus; u != nil && u.StartedAt != nil && !u.StartedAt.Before(dep.received) {
		switch {
		case rollingBack(svc):
			return api.DeploymentRolledBack, "Swarm rolled the update back: " + u.Message
		case u.State == swarm.UpdateStatePaused:
			return api.DeploymentFailed, "Swarm paused the update: " + u.Message
		case u.State == swarm.UpdateStateUpdating:
			return api.DeploymentConverging, ""
		}
	}
	if !d.tasksRun(svc, dep.image) {
		return api.DeploymentConverging, ""
	}
	return api.DeploymentConverged, ""
}

func rollingBack(svc *state.Service) bool {
	u := svc.Raw.UpdateStatus
	if u == nil {
		return false
	}
	switch u.State {
	case swarm.UpdateStateRollbackStarted, swarm.UpdateStateRollbackCompleted, swarm.UpdateStateRollbackPaused:
		return true
	}
	return false
}

// tasksRun reports whether the service runs the image everywhere: as many running tasks
// of it as the service wants (a global service: at least one), and no running task of
// another image.
func (d *Deploys) tasksRun(svc *state.Service, image string) bool {
	if !sameImage(serviceImage(svc), image) {
		return false // another deploy changed the service since
	}
	want, running := 1, 0
	if r := svc.Raw.Spec.Mode.Replicated; r != nil && r.Replicas != nil {
		want = int(*r.Replicas)
	}
	for _, t := range d.swarm.TasksByService(nil, svc.ID) {
		if t.DesiredState != string(swarm.TaskStateRunning) || t.State != string(swarm.TaskStateRunning) {
			continue
		}
		if c := t.Raw.Spec.ContainerSpec; c == nil || !sameImage(c.Image, image) {
			return false
		}
		running++
	}
	return running >= want
}
