package stacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// Load reads the revisions (with their states) and removals from the swarm into the
// index: the archived revisions without their bodies, each revision once however many
// copies a compaction that was killed left. The manager calls it on start, before
// serving.
func (s *Service) Load(ctx context.Context) error {
	archived, err := s.loadArchives(ctx)
	if err != nil {
		return err
	}
	objs, err := s.objects.List(ctx, kindRevision)
	if err != nil {
		return err
	}
	for _, o := range objs {
		doc, err := persist.DecodeRevision(o.Data)
		if err != nil {
			return fmt.Errorf("failed to decode stored revision %s: %w", o.Name, err)
		}
		if archived[doc.Stack][doc.Number] {
			s.addLeftovers(doc.Stack, []object{{kindRevision, o.Name}})
			continue
		}
		rec := revisionRecord(fromDoc(doc), o.Data)
		st := stateOf(o.Labels)
		rec.State, rec.Failure, rec.Reason, rec.Compensated = st.State, st.Failure, st.Reason, st.Compensated
		if err := s.store.UpsertRevisions(rec); err != nil {
			return err
		}
	}
	return s.loadRemovals(ctx)
}

func (s *Service) loadRemovals(ctx context.Context) error {
	removals, err := s.objects.List(ctx, kindRemoved)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range removals {
		var r removal
		if err := json.Unmarshal(o.Data, &r); err != nil {
			return fmt.Errorf("failed to decode stored removal of %s: %w", o.Name, err)
		}
		s.removals[o.Name] = r
	}
	return nil
}

// Recover finishes what a crash interrupted, and only that: a pending removal is done
// again, and a pending revision (a deploy killed after its record was written) is applied
// again, or, if that fails, undone and marked failed. Applied and failed revisions are
// never re-applied: whatever users changed since is theirs. It logs and carries on past a
// stack it cannot recover, so one bad stack does not keep the manager from starting, and
// returns the errors joined.
func (s *Service) Recover(ctx context.Context) error {
	var errs []error
	for _, stack := range s.store.RevisionStacks(nil) {
		if err := s.recoverStack(ctx, stack); err != nil {
			s.log.Error("cannot recover stack", "stack", stack, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// recoverStack finishes the stack's interrupted removal or deploys, then compacts its
// history if it is over the limit (or a compaction was interrupted).
func (s *Service) recoverStack(ctx context.Context, name string) error {
	defer s.lock(name)()
	r, recorded := s.removalOf(name)
	if recorded && r.Pending {
		s.log.Info("finishing an interrupted removal", "stack", name)
		if _, err := s.deployer.Remove(ctx, name); err != nil && !errors.Is(err, api.ErrNotFound) {
			return err
		}
		return s.forgetRemoval(ctx, name)
	}
	if recorded { // a finished removal, recorded by a manager that kept such records
		if err := s.forgetRemoval(ctx, name); err != nil {
			return err
		}
	}
	for _, r := range s.store.RevisionsByStack(nil, name) {
		if r.State == api.RevisionPending {
			if err := s.finish(ctx, r); err != nil {
				return err
			}
		}
	}
	if err := s.compact(ctx, name, 1); err != nil {
		return fmt.Errorf("failed to compact the history of stack %s: %w", name, err)
	}
	return nil
}

// finish applies a revision a crash left pending. The crash may have come at any write,
// so the plan is made afresh from what the swarm holds now; applying is idempotent.
func (s *Service) finish(ctx context.Context, r *state.Revision) error {
	rev, err := s.Revision(r.Stack, r.Number)
	if err != nil {
		return err
	}
	s.log.Info("finishing an interrupted deploy", "stack", r.Stack, "revision", r.Number)
	start := time.Now()
	err = s.apply(ctx, rev)
	if err == nil {
		s.log.Info("deploy finished", "stack", r.Stack, "revision", r.Number, "took", time.Since(start))
		return nil
	}
	err = fmt.Errorf("a manager restart interrupted it, and finishing it failed: %w", err)
	if restoreErr := s.restorePrevious(ctx, rev); restoreErr != nil {
		err = fmt.Errorf("%w; restoring the previous revision failed too: %v", err, restoreErr)
	}
	return s.failed(ctx, rev, failureRecovery, err)
}

// apply converts, plans and applies a recorded revision and marks it applied.
func (s *Service) apply(ctx context.Context, rev api.Revision) error {
	stack, err := s.convert(ctx, rev, rev.Attachments, nil, false)
	if err != nil {
		return err
	}
	opts, err := s.swarmOptions(stack, rev)
	if err != nil {
		return err
	}
	plan, err := s.deployer.Plan(ctx, stack, opts)
	if err != nil {
		return err
	}
	applied, err := s.deployer.Apply(ctx, plan, rev.Number)
	if err != nil {
		return err
	}
	if err := s.markApplied(ctx, rev); err != nil {
		return applied.Undo(ctx, err)
	}
	return nil
}

// restorePrevious puts back the revision the swarm ran before rev, since the writes the
// crash interrupted are not known: the previous revision's specs are what they undid.
// Services only rev had stay (a prune could take services users keep on purpose); with
// no previous revision nothing can be restored.
func (s *Service) restorePrevious(ctx context.Context, rev api.Revision) error {
	var prev *state.Revision
	for _, r := range s.store.RevisionsByStack(nil, rev.Stack) {
		if r.Number < rev.Number && (r.State == api.RevisionApplied || r.Failure == failureRollout) {
			prev = r
			break
		}
	}
	if prev == nil {
		return errors.New("no earlier revision was applied")
	}
	old, err := s.Revision(rev.Stack, prev.Number)
	if err != nil {
		return err
	}
	stack, err := s.convert(ctx, old, old.Attachments, nil, false)
	if err != nil {
		return err
	}
	opts, err := s.swarmOptions(stack, old)
	if err != nil {
		return err
	}
	opts.Prune = false // see above: services only rev had stay
	plan, err := s.deployer.Plan(ctx, stack, opts)
	if err != nil {
		return err
	}
	_, err = s.deployer.Apply(ctx, plan, prev.Number)
	return err
}
