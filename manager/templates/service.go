// Package templates deploys catalog templates as EXOS stacks and upgrades them. It picks
// the version, answers its questions, renders it and hands the result to the stack
// service, which records it as an ordinary revision: history and rollback work as for
// any stack. Password answers are used once and never recorded (see stacks.TemplateDeploy).
package templates

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/catalogs"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
)

// Catalogs finds templates; *catalogs.Service implements it.
type Catalogs interface {
	Lookup(catalog, name string) (catalogs.Source, error)
}

// Stacks records and applies stacks; *stacks.Service implements it.
type Stacks interface {
	DeployTemplate(ctx context.Context, name string, d stacks.TemplateDeploy, author, remoteAddr string) (api.DeployResult, error)
	Latest(name string) (api.Revision, error)
}

// Service deploys and upgrades templates. It keeps no state of its own.
type Service struct {
	store    *state.Store
	catalogs Catalogs
	stacks   Stacks
}

// New returns a template service.
func New(store *state.Store, catalogs Catalogs, stacks Stacks) *Service {
	return &Service{store: store, catalogs: catalogs, stacks: stacks}
}

// pickVersion returns the version v (a version or a folder number; "" for the default)
// if Swarm can run it.
func pickVersion(src catalogs.Source, v string) (*catalog.Version, error) {
	t := src.Template
	ver := t.Version(v)
	if ver == nil {
		known := make([]string, 0, len(t.Versions))
		for _, tv := range t.Versions {
			known = append(known, tv.Version)
		}
		if v == "" {
			v = t.DefaultVersion
		}
		return nil, api.Errorf(api.ErrNotFound, "template %s/%s has no version %q: its versions are %s", src.Catalog, t.Name, v, strings.Join(known, ", "))
	}
	if !ver.Deployable() {
		return nil, stacks.Invalid(fmt.Sprintf("template %s/%s:%s is not deployable, so it is never deployed (see `docker exos template inspect %s/%s:%s`); nothing was changed",
			src.Catalog, t.Name, ver.Version, src.Catalog, t.Name, ver.Version), ver.Verdict().Reasons)
	}
	return ver, nil
}

// scopeEnv is the environment a template deploys into: a template of an environment's
// catalog deploys there only.
func (s *Service) scopeEnv(src catalogs.Source, env string) (string, error) {
	switch {
	case src.Env == "":
		return env, nil
	case env == "":
		return src.Env, nil
	case env != src.Env:
		return "", api.Errorf(api.ErrInvalid, "template %s/%s belongs to environment %s's catalog and deploys only there, not to %s", src.Catalog, src.Template.Name, src.Env, env)
	}
	return env, nil
}

// checkStackFree refuses to deploy a template over a stack that runs something else:
// `catalog deploy` must not replace a stack by accident. The same template may be
// deployed again (with other answers).
func (s *Service) checkStackFree(name string, src catalogs.Source) error {
	if len(s.store.ServicesByStack(nil, name)) == 0 {
		return nil
	}
	latest, err := s.stacks.Latest(name)
	if err == nil && latest.Template != nil && latest.Template.Catalog == src.Catalog && latest.Template.Template == src.Template.Name {
		return nil
	}
	return api.Errorf(api.ErrConflict, "stack %q already exists and was not deployed from %s/%s: choose another --name, or remove the stack first", name, src.Catalog, src.Template.Name)
}

// withoutVariables returns the questions except those asking for one of vars.
func withoutVariables(questions []catalog.Question, vars []string) []catalog.Question {
	return slices.DeleteFunc(slices.Clone(questions), func(q catalog.Question) bool { return slices.Contains(vars, q.Variable) })
}
