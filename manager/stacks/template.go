package stacks

import (
	"context"
	"maps"
	"slices"

	"github.com/exos-platform/exos/manager/api"
)

// TemplateDeploy is a stack rendered from a catalog template.
type TemplateDeploy struct {
	Env          string
	ComposeFiles []api.File // rendered: they never hold a password, only ${VAR}
	ExosFile     *api.File
	Variables    map[string]string // every answer but passwords: recorded
	// Passwords are the password answers given for this deploy: used, never recorded.
	Passwords map[string]string
	// Kept are password variables not given again (an upgrade): their secrets stay on the
	// swarm as they are.
	Kept   []string
	Source api.TemplateSource
}

// DeployTemplate validates, records and applies a stack rendered from a template, like
// Deploy. The revision records the template, its catalog commit and the public answers,
// and names the password variables it withheld, so rollbacks and recovery redeploy it
// with the secrets the swarm holds.
func (s *Service) DeployTemplate(ctx context.Context, name string, d TemplateDeploy, author, remoteAddr string) (api.DeployResult, error) {
	if err := checkStackName(name); err != nil {
		return api.DeployResult{}, err
	}
	defer s.lock(name)()
	withheld := slices.Sorted(maps.Keys(d.Passwords))
	for _, v := range d.Kept {
		if !slices.Contains(withheld, v) {
			withheld = append(withheld, v)
		}
	}
	slices.Sort(withheld)
	src := d.Source
	rev := api.Revision{
		Stack: name, Author: author, RemoteAddr: remoteAddr, Env: d.Env,
		ComposeFiles: d.ComposeFiles, ExosFile: d.ExosFile, Variables: d.Variables,
		Template: &src, Withheld: withheld,
	}
	return s.deploy(ctx, rev, nil, deployOptions{passwords: d.Passwords})
}

// Latest returns the stack's latest revision with its files.
func (s *Service) Latest(name string) (api.Revision, error) {
	latest := s.store.LatestRevision(nil, name)
	if latest == nil {
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no revisions", name)
	}
	return s.Revision(name, latest.Number)
}
