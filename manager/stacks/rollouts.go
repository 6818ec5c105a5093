package stacks

import (
	"context"
	"fmt"
	"strings"

	dockerswarm "github.com/docker/docker/api/types/swarm"
	"github.com/hashicorp/go-memdb"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// WatchRollouts marks a revision failed when Swarm rolls back (failure_action: rollback)
// or pauses the update the revision started, with Swarm's own message, so that history
// tells the truth and nothing ever deploys the revision again on its own. It follows the
// index until ctx ends; it also catches what happened while the manager was down, since
// Swarm keeps a service's update status.
func (s *Service) WatchRollouts(ctx context.Context) {
	for {
		ws := memdb.NewWatchSet()
		s.checkRollouts(ctx, ws)
		if err := ws.WatchCtx(ctx); err != nil {
			return
		}
	}
}

// checkRollouts marks failed every revision whose rollout Swarm rolled back or paused.
func (s *Service) checkRollouts(ctx context.Context, ws memdb.WatchSet) {
	for _, svc := range s.store.Services(ws) {
		if latest, ok := s.failedRollout(svc); ok {
			s.markRolloutFailed(ctx, latest, svc)
		}
	}
}

// failedRollout returns the stack's latest revision if the service's update status says
// Swarm rolled back or paused the update that revision started. Updates users make
// natively fail too, and are not the revision's: a rollback counts only if Swarm rolled
// back on its own (not `docker service rollback`) away from the revision's spec, and a
// pause only if the service still has exactly the revision's spec.
func (s *Service) failedRollout(svc *state.Service) (*state.Revision, bool) {
	u := svc.Raw.UpdateStatus
	if u == nil || svc.Stack == "" || u.StartedAt == nil {
		return nil, false
	}
	latest := s.store.LatestRevision(nil, svc.Stack)
	if latest == nil || latest.State != api.RevisionApplied || !u.StartedAt.After(latest.CreatedAt) {
		return nil, false
	}
	switch {
	case rolledBack(u.State):
		return latest, svc.Revision != latest.Number && !strings.Contains(u.Message, manualRollback)
	case u.State == dockerswarm.UpdateStatePaused:
		want, ok := s.desired(latest)
		spec, inRevision := want[svc.Name]
		return latest, ok && inRevision && svc.Revision == latest.Number && len(swarm.Drift(svc.Raw, spec)) == 0
	}
	return nil, false
}

// manualRollback is how swarmkit words the update status of `docker service rollback`.
const manualRollback = "manually requested rollback"

func (s *Service) markRolloutFailed(ctx context.Context, rev *state.Revision, svc *state.Service) {
	defer s.lock(rev.Stack)()
	if latest := s.store.LatestRevision(nil, rev.Stack); latest == nil || latest.Number != rev.Number || latest.State != api.RevisionApplied {
		return // a deploy came in between
	}
	u := svc.Raw.UpdateStatus
	what := "rolled the update back"
	if u.State == dockerswarm.UpdateStatePaused {
		what = "paused the update"
	}
	reason := fmt.Sprintf("service %s: Swarm %s: %s", svc.Name, what, u.Message)
	st := state.RevisionState{State: api.RevisionFailed, Failure: failureRollout, Reason: persist.StateLabel(reason)}
	if err := s.setState(ctx, rev.Stack, rev.Number, st); err != nil {
		s.log.Error("cannot mark a rolled-back revision failed", "stack", rev.Stack, "revision", rev.Number, "err", err)
		return
	}
	s.log.Info("revision failed in its rollout", "stack", rev.Stack, "revision", rev.Number, "reason", reason)
}

func rolledBack(st dockerswarm.UpdateState) bool {
	switch st {
	case dockerswarm.UpdateStateRollbackStarted, dockerswarm.UpdateStateRollbackCompleted, dockerswarm.UpdateStateRollbackPaused:
		return true
	}
	return false
}
