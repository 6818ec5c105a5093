package stacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// History lists the stack's revisions, newest first, without their files.
func (s *Service) History(name string) ([]api.Revision, error) {
	revs := s.store.RevisionsByStack(nil, name)
	if len(revs) == 0 {
		return nil, api.Errorf(api.ErrNotFound, "stack %q has no revisions", name)
	}
	out := make([]api.Revision, 0, len(revs))
	for _, r := range revs {
		out = append(out, api.Revision{
			Stack: r.Stack, Number: r.Number, CreatedAt: r.CreatedAt, Author: r.Author,
			RemoteAddr: r.RemoteAddr, Env: r.Env, RollbackOf: r.RollbackOf, Images: r.Images,
			Template: listedTemplate(r.Template),
		})
	}
	return out, nil
}

// Revision returns one revision with its files.
func (s *Service) Revision(name string, number int) (api.Revision, error) {
	r := s.store.Revision(nil, name, number)
	if r == nil {
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no revision %d", name, number)
	}
	var rev api.Revision
	if err := json.Unmarshal(r.Data, &rev); err != nil {
		return api.Revision{}, fmt.Errorf("failed to decode revision %d of stack %s: %w", number, name, err)
	}
	return rev, nil
}

// Rollback deploys the files, variables and environment of revision `to` as a new revision.
func (s *Service) Rollback(ctx context.Context, name string, to int, author, remoteAddr string) (api.DeployResult, error) {
	defer s.lock(name)()
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
		Template: old.Template, Withheld: old.Withheld,
	}
	return s.deploy(ctx, rev, old.Attachments, nil)
}

// Remove removes the stack's objects from the swarm. Its history stays: a stack deployed
// again under the same name continues the numbering. The removal is recorded first, so a
// manager killed half-way finishes it on start instead of redeploying the stack.
func (s *Service) Remove(ctx context.Context, name string) error {
	defer s.lock(name)()
	services := s.store.ServicesByStack(nil, name)
	latest := s.store.LatestRevision(nil, name)
	if len(services) == 0 && latest == nil {
		return api.Errorf(api.ErrNotFound, "stack %q does not exist", name)
	}
	if name == managerStack {
		return api.Errorf(api.ErrInvalid, "stack %q is the EXOS manager; use `docker exos manager uninstall`", name)
	}
	if latest != nil {
		if err := s.recordRemoval(ctx, name, latest.Number); err != nil {
			return err
		}
	}
	// A stack with history but nothing left on the swarm is already removed.
	if err := s.deployer.Remove(ctx, name); err != nil && !(len(services) == 0 && errors.Is(err, swarm.ErrNotFound)) {
		return fmt.Errorf("failed to remove stack %s: %w", name, err)
	}
	return nil
}

type removal struct {
	Revision int `json:"revision"`
}

func (s *Service) recordRemoval(ctx context.Context, name string, revision int) error {
	doc, _ := json.Marshal(removal{Revision: revision})
	if err := s.objects.Put(ctx, kindRemoved, name, doc, nil); err != nil {
		return fmt.Errorf("failed to record the removal of stack %s: %w", name, err)
	}
	s.mu.Lock()
	s.removed[name] = revision
	s.mu.Unlock()
	return nil
}

func (s *Service) removedAt(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.removed[name]
}

// listedTemplate is the template of a revision in a list: without its answers.
func listedTemplate(ref *state.TemplateRef) *api.TemplateSource {
	if ref == nil {
		return nil
	}
	return &api.TemplateSource{Catalog: ref.Catalog, Template: ref.Template, Version: ref.Version, Commit: ref.Commit}
}
