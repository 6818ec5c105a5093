package templates

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/exos-platform/exos/catalog"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/catalogs"
	"github.com/exos-platform/exos/manager/stacks"
)

// Deploy deploys a template as stack name. Everything is checked (reference, version,
// environment, answers, rendering, the converted stack) before anything changes.
func (s *Service) Deploy(ctx context.Context, name string, req api.TemplateDeployRequest, author, remoteAddr string) (api.DeployResult, error) {
	r, err := api.ParseTemplateRef(req.Template)
	if err != nil {
		return api.DeployResult{}, err
	}
	src, err := s.catalogs.Lookup(r.Catalog, r.Name)
	if err != nil {
		return api.DeployResult{}, err
	}
	ver, err := pickVersion(src, r.Version)
	if err != nil {
		return api.DeployResult{}, err
	}
	env, err := s.scopeEnv(src, req.Env)
	if err != nil {
		return api.DeployResult{}, err
	}
	if err := s.checkStackFree(name, src); err != nil {
		return api.DeployResult{}, err
	}
	file, sets, err := readAnswers(req.Answers, req.Sets)
	if err != nil {
		return api.DeployResult{}, err
	}
	values, err := catalog.Resolve(ver.Questions, file, sets)
	if err != nil {
		return api.DeployResult{}, answersError(src, ver, err)
	}
	return s.deploy(ctx, name, deployment{src: src, ver: ver, values: values, env: env}, author, remoteAddr)
}

// deployment is a version with its answers, ready to render.
type deployment struct {
	src    catalogs.Source
	ver    *catalog.Version
	values catalog.Values
	kept   []string // password variables whose secrets stay as they are
	env    string
}

// deploy renders the version and has the stack service record and apply it.
func (s *Service) deploy(ctx context.Context, name string, d deployment, author, remoteAddr string) (api.DeployResult, error) {
	rendered, err := catalog.Render(*d.ver, d.values)
	if err != nil {
		return api.DeployResult{}, renderError(d, err)
	}
	public := d.values.Public()
	td := stacks.TemplateDeploy{
		Env: d.env, ComposeFiles: apiFiles(rendered.ComposeFiles), Variables: public,
		Passwords: d.values.Secrets(), Kept: d.kept,
		Source: api.TemplateSource{Catalog: d.src.Catalog, Template: d.src.Template.Name, Version: d.ver.Version,
			Number: folderNumber(d.ver), Commit: d.src.Commit, Answers: maps.Clone(public)},
	}
	if rendered.ExosFile != nil {
		td.ExosFile = &apiFiles([]composeext.File{*rendered.ExosFile})[0]
	}
	return s.stacks.DeployTemplate(ctx, name, td, author, remoteAddr)
}

func apiFiles(files []composeext.File) []api.File {
	out := make([]api.File, 0, len(files))
	for _, f := range files {
		out = append(out, api.File{Name: f.Name, Content: string(f.Content)})
	}
	return out
}

// readAnswers parses the answers file and the sets.
func readAnswers(f *api.File, sets []string) (map[string]any, map[string]string, error) {
	file := map[string]any{}
	if f != nil {
		data, err := f.Bytes()
		if err != nil {
			return nil, nil, api.Errorf(api.ErrInvalid, "answers file %s: %v", f.Name, err)
		}
		if file, err = catalog.ParseAnswersFile(f.Name, data); err != nil {
			return nil, nil, api.Errorf(api.ErrInvalid, "%v", err)
		}
	}
	parsed, err := catalog.ParseSets(sets)
	if err != nil {
		return nil, nil, api.Errorf(api.ErrInvalid, "--set: %v", err)
	}
	return file, parsed, nil
}

// answersError lists every answer that does not fit its question.
func answersError(src catalogs.Source, ver *catalog.Version, err error) error {
	var ae *catalog.AnswersError
	if !errors.As(err, &ae) {
		return err
	}
	return stacks.Invalid(fmt.Sprintf("answers to %s/%s:%s are not valid; nothing was changed", src.Catalog, src.Template.Name, ver.Version), ae.Problems)
}

// renderError reports a template that does not render with these answers.
func renderError(d deployment, err error) error {
	var ve *composeext.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return stacks.Invalid(fmt.Sprintf("template %s/%s:%s does not render with these answers; nothing was changed", d.src.Catalog, d.src.Template.Name, d.ver.Version), ve.Problems)
}
