package stacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// Load reads the revisions and removals from the swarm into the index. The manager calls
// it on start, before serving.
func (s *Service) Load(ctx context.Context) error {
	objs, err := s.objects.List(ctx, kindRevision)
	if err != nil {
		return err
	}
	for _, o := range objs {
		var rev api.Revision
		if err := json.Unmarshal(o.Data, &rev); err != nil {
			return fmt.Errorf("failed to decode stored revision %s: %w", o.Name, err)
		}
		if err := s.store.UpsertRevisions(revisionRecord(rev, o.Data)); err != nil {
			return err
		}
	}
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
		s.removed[o.Name] = r.Revision
	}
	return nil
}

// Recover finishes what a crash interrupted: a stack whose latest revision is not applied
// everywhere is applied again, and a removed stack whose services remain is removed again.
// It logs and carries on past a stack it cannot recover, so one bad stack does not keep the
// manager from starting, and returns the errors joined.
func (s *Service) Recover(ctx context.Context, log *slog.Logger) error {
	var errs []error
	for _, stack := range s.store.RevisionStacks(nil) {
		if err := s.recoverStack(ctx, stack, log); err != nil {
			log.Error("cannot recover stack", "stack", stack, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Service) recoverStack(ctx context.Context, name string, log *slog.Logger) error {
	defer s.lock(name)()
	latest := s.store.LatestRevision(nil, name)
	if latest == nil {
		return nil
	}
	if latest.Number <= s.removedAt(name) {
		if len(s.store.ServicesByStack(nil, name)) == 0 {
			return nil
		}
		log.Info("finishing an interrupted removal", "stack", name)
		return s.deployer.Remove(ctx, name)
	}
	rev, err := s.Revision(name, latest.Number)
	if err != nil {
		return err
	}
	stack, err := s.convert(ctx, rev, rev.Attachments, nil)
	if err != nil {
		return err
	}
	applied, complete, err := s.deployer.AppliedRevision(ctx, stack)
	if err != nil {
		return err
	}
	if complete && applied == latest.Number {
		return nil
	}
	log.Info("finishing an interrupted deploy", "stack", name, "revision", latest.Number, "applied", applied)
	start := time.Now()
	if _, err := s.deployer.Apply(ctx, stack, rev.Number); err != nil {
		return err
	}
	log.Info("deploy finished", "stack", name, "revision", rev.Number, "took", time.Since(start))
	return nil
}
