package stacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// History lists the stack's revisions, newest first, without their files.
func (s *Service) History(name string) ([]api.Revision, error) {
	revs := s.store.RevisionsByStack(nil, name)
	if len(revs) == 0 {
		return nil, api.Errorf(api.ErrNotFound, "stack %q has no revisions", name)
	}
	current := currentRevision(revs)
	out := make([]api.Revision, 0, len(revs))
	for _, r := range revs {
		out = append(out, api.Revision{
			Stack: r.Stack, Number: r.Number, CreatedAt: r.CreatedAt, Author: r.Author,
			RemoteAddr: r.RemoteAddr, Env: r.Env, RollbackOf: r.RollbackOf, Images: r.Images,
			Template: listedTemplate(r.Template), State: shownState(r, current),
			Reason: r.Reason, Compensated: r.Compensated,
		})
	}
	return out, nil
}

// currentRevision is the revision the swarm runs, as far as EXOS made it: the newest that
// reached the swarm (applied, or failed in its rollout), nil for none. revs is newest first.
func currentRevision(revs []*state.Revision) *state.Revision {
	for _, r := range revs {
		if r.State == api.RevisionApplied || r.State == api.RevisionFailed && r.Failure == failureRollout {
			return r
		}
	}
	return nil
}

// shownState is a revision's state as users see it: an applied revision older than the
// current one is superseded.
func shownState(r, current *state.Revision) string {
	if r.State == api.RevisionApplied && current != nil && r.Number < current.Number {
		return api.RevisionSuperseded
	}
	return r.State
}

// Revision returns one revision with its files.
func (s *Service) Revision(name string, number int) (api.Revision, error) {
	r := s.store.Revision(nil, name, number)
	if r == nil {
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no revision %d", name, number)
	}
	data, err := s.document(r)
	if err != nil {
		return api.Revision{}, err
	}
	doc, err := persist.DecodeRevision(data)
	if err != nil {
		return api.Revision{}, fmt.Errorf("failed to decode revision %d of stack %s: %w", number, name, err)
	}
	rev := fromDoc(doc)
	rev.State = shownState(r, currentRevision(s.store.RevisionsByStack(nil, name)))
	rev.Reason, rev.Compensated = r.Reason, r.Compensated
	return rev, nil
}

// Rollback deploys the files, variables and environment of revision `to` as a new revision.
func (s *Service) Rollback(ctx context.Context, name string, to int, author, remoteAddr string) (api.DeployResult, error) {
	if name == api.ManagerStack {
		return api.DeployResult{}, api.Errorf(api.ErrInvalid, "stack %q is the EXOS manager: reinstall it with `docker exos manager install` instead", name)
	}
	defer s.lock(name)()
	latest := s.store.LatestRevision(nil, name)
	if latest == nil {
		return api.DeployResult{}, api.Errorf(api.ErrNotFound, "stack %q has no revisions to roll back to", name)
	}
	if to < 1 || to > latest.Number {
		return api.DeployResult{}, api.Errorf(api.ErrInvalid, "revision %d does not exist: stack %s has revisions 1 to %d (see `docker exos stack history %s`)", to, name, latest.Number, name)
	}
	old, err := s.Revision(name, to)
	if err != nil {
		return api.DeployResult{}, err
	}
	for _, a := range old.Attachments {
		if a.Withheld {
			return api.DeployResult{}, api.Errorf(api.ErrInvalid, "revision %d created secrets from %s, whose content EXOS does not keep; deploy the stack again with its files instead", to, a.Name)
		}
	}
	rev := api.Revision{
		Stack: name, Author: author, RemoteAddr: remoteAddr, Env: old.Env, RollbackOf: to,
		ComposeFiles: old.ComposeFiles, ExosFile: old.ExosFile, Variables: old.Variables,
		Template: old.Template, Withheld: old.Withheld, WorkingDir: old.WorkingDir, HomeDir: old.HomeDir, Prune: old.Prune,
		// The images it set and the digests it ran: a rollback puts back what ran then,
		// not what its tags name now.
		ImageOverrides: old.ImageOverrides, Images: old.Images, Platforms: old.Platforms,
	}
	return s.deploy(ctx, rev, old.Attachments, deployOptions{})
}

// Remove removes the stack's objects from the swarm and says which. Its history stays: a
// stack deployed again under the same name continues the numbering. The removal is
// recorded as pending first and done after, so a manager killed half-way finishes it on
// start, and only then.
func (s *Service) Remove(ctx context.Context, name string) (api.StackRemoval, error) {
	defer s.lock(name)()
	services := s.store.ServicesByStack(nil, name)
	latest := s.store.LatestRevision(nil, name)
	if len(services) == 0 && latest == nil {
		return api.StackRemoval{}, api.Errorf(api.ErrNotFound, "stack %q does not exist", name)
	}
	if name == api.ManagerStack {
		return api.StackRemoval{}, api.Errorf(api.ErrInvalid, "stack %q is the EXOS manager; use `docker exos manager uninstall`", name)
	}
	if latest != nil {
		if err := s.recordRemoval(ctx, name, removal{Revision: latest.Number, Pending: true}); err != nil {
			return api.StackRemoval{}, err
		}
	}
	removed, err := s.deployer.Remove(ctx, name)
	// A stack with history but nothing left on the swarm is already removed.
	if err != nil && !(len(services) == 0 && errors.Is(err, api.ErrNotFound)) {
		return api.StackRemoval{}, fmt.Errorf("failed to remove stack %s: %w", name, err)
	}
	if removed == nil {
		removed = []api.RemovedObject{} // nothing removed: not a manager that does not say
	}
	result := api.StackRemoval{Removed: removed}
	if latest == nil {
		return result, nil
	}
	return result, s.forgetRemoval(ctx, name)
}

// removal is the intent record of a stack's removal, kept only while the removal may
// have work left (a manager killed half-way). Once it is done, the record tells nothing
// the history does not: a stack with revisions and no services shows as removed, and
// the numbering continues from the history, which keeps every revision (archived ones
// too). So a finished removal deletes its record, as does a deploy applied after a
// removal that could not be finished (the stack exists again: recovering the removal
// would take it away).
type removal struct {
	Revision int  `json:"revision"` // the revision the stack had, for whoever reads the record
	Pending  bool `json:"pending,omitempty"`
}

func (s *Service) recordRemoval(ctx context.Context, name string, r removal) error {
	doc, _ := json.Marshal(r)
	if err := s.objects.Put(ctx, kindRemoved, name, doc, nil); err != nil {
		return fmt.Errorf("failed to record the removal of stack %s: %w", name, err)
	}
	s.mu.Lock()
	s.removals[name] = r
	s.mu.Unlock()
	return nil
}

// forgetRemoval deletes the stack's removal record.
func (s *Service) forgetRemoval(ctx context.Context, name string) error {
	if err := s.objects.Delete(ctx, kindRemoved, name); err != nil {
		return fmt.Errorf("failed to delete the removal record of stack %s: %w", name, err)
	}
	s.mu.Lock()
	delete(s.removals, name)
	s.mu.Unlock()
	return nil
}

func (s *Service) removalOf(name string) (removal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.removals[name]
	return r, ok
}
