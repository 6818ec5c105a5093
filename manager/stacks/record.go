package stacks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// The object kinds this package stores, and the labels that find revisions per stack.
const (
	kindRevision  = "revision"
	kindRemoved   = "stack-removed"
	labelStack    = "io.exos.stack"
	labelRevision = "io.exos.revision"
)

// What failed, for a failed revision.
const (
	failureApply    = "apply"    // a write failed; the deploy was undone
	failureRollout  = "rollout"  // Swarm rolled the update back (or paused it)
	failureRecovery = "recovery" // finishing it after a restart failed
)

// record stores the revision in the swarm as pending, then in the index. It is the
// intent record: only a stored revision may be applied, and Recover finishes (or undoes)
// one left pending by a crash.
func (s *Service) record(ctx context.Context, rev api.Revision) error {
	doc, err := persist.EncodeRevision(toDoc(rev))
	if err != nil {
		return err
	}
	labels := map[string]string{
		labelStack: rev.Stack, labelRevision: strconv.Itoa(rev.Number), persist.LabelRevisionState: api.RevisionPending,
	}
	if err := s.objects.Create(ctx, kindRevision, revisionName(rev.Stack, rev.Number), doc, labels); err != nil {
		return fmt.Errorf("failed to record revision %d of stack %s: %w", rev.Number, rev.Stack, err)
	}
	rec := revisionRecord(rev, doc)
	rec.State = api.RevisionPending
	return s.store.UpsertRevisions(rec)
}

func revisionName(stack string, number int) string { return stack + "." + strconv.Itoa(number) }

// markApplied records that the revision's writes all went through.
func (s *Service) markApplied(ctx context.Context, rev api.Revision) error {
	return s.setState(ctx, rev.Stack, rev.Number, state.RevisionState{State: api.RevisionApplied})
}

// failed marks the revision failed with what was undone and returns the answer for the
// request: the Engine's refusal, with what EXOS did about it.
func (s *Service) failed(ctx context.Context, rev api.Revision, failure string, cause error) error {
	st := state.RevisionState{State: api.RevisionFailed, Failure: failure, Reason: persist.StateLabel(cause.Error())}
	var applyErr *swarm.ApplyError
	if errors.As(cause, &applyErr) {
		st.Reason = persist.StateLabel(applyErr.Err.Error())
		st.Compensated = applyErr.Compensated
	}
	if err := s.setState(ctx, rev.Stack, rev.Number, st); err != nil {
		s.log.Error("cannot mark a revision failed; it stays pending and is retried on restart", "stack", rev.Stack, "revision", rev.Number, "err", err)
	}
	if kind := kindOf(cause); kind != nil {
		return api.Errorf(kind, "revision %d of stack %s failed: %v", rev.Number, rev.Stack, cause)
	}
	return fmt.Errorf("revision %d of stack %s failed: %w", rev.Number, rev.Stack, cause)
}

// setState writes the revision's state into its config's labels, then the index.
func (s *Service) setState(ctx context.Context, stack string, number int, st state.RevisionState) error {
	labels := map[string]string{
		persist.LabelRevisionState:       st.State,
		persist.LabelRevisionFailure:     st.Failure,
		persist.LabelRevisionReason:      st.Reason,
		persist.LabelRevisionCompensated: persist.StateLabel(strings.Join(st.Compensated, "\n")),
	}
	if err := s.objects.SetLabels(ctx, kindRevision, revisionName(stack, number), labels); err != nil {
		return fmt.Errorf("failed to record the state of revision %d of stack %s: %w", number, stack, err)
	}
	return s.store.SetRevisionState(stack, number, st)
}

// kindOf gives an Engine refusal its API meaning: the request clashes with the swarm
// (409), can never work (400) or Docker is unavailable (503); nil for anything else, the
// manager's or Docker's trouble (500).
func kindOf(err error) error {
	switch {
	case errors.Is(err, api.ErrConflict), cerrdefs.IsConflict(err), cerrdefs.IsNotFound(err):
		return api.ErrConflict
	case errors.Is(err, api.ErrInvalid), cerrdefs.IsInvalidArgument(err):
		return api.ErrInvalid
	case cerrdefs.IsUnavailable(err):
		return api.ErrUnavailable
	}
	return nil
}

// stateOf reads a stored revision's state from its config's labels. Revisions written
// before revisions had states carry none: they were applied (or finished on restart).
func stateOf(labels map[string]string) state.RevisionState {
	st := state.RevisionState{
		State: labels[persist.LabelRevisionState], Failure: labels[persist.LabelRevisionFailure],
		Reason: labels[persist.LabelRevisionReason],
	}
	if st.State == "" {
		st.State = api.RevisionApplied
	}
	if c := labels[persist.LabelRevisionCompensated]; c != "" {
		st.Compensated = strings.Split(c, "\n")
	}
	return st
}
