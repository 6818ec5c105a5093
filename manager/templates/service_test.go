package templates

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/catalogs"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
)

// tickerFS is a catalog with template ticker in versions 1.0.0, 1.1.0 (upgrades from 1.x)
// and 2.0.0 (not deployable: volumes_from, so never deployed), and template old that 1.1.0 cannot reach.
var tickerFS = fstest.MapFS{
	"templates/ticker/config.yml":               {Data: []byte("name: Ticker\nversion: 1.0.0\ncategory: Test\n")},
	"templates/ticker/0/docker-compose.yml.tpl": {Data: []byte(tickerCompose("v1"))},
	"templates/ticker/0/exos-compose.yml":       {Data: []byte(tickerExos("1.0.0", ""))},
	"templates/ticker/1/docker-compose.yml.tpl": {Data: []byte(tickerCompose("v2"))},
	"templates/ticker/1/exos-compose.yml":       {Data: []byte(tickerExos("1.1.0", ">=1.0.0 <2.0.0"))},
	"templates/ticker/2/docker-compose.yml":     {Data: []byte("services:\n  t:\n    image: exos/busybox:1\n    volumes_from: [d]\n  d:\n    image: exos/busybox:1\n")},
	"templates/ticker/2/exos-compose.yml":       {Data: []byte(tickerExos("2.0.0", ""))},
}

func tickerCompose(tag string) string {
	return `services:
  t:
    image: exos/busybox:1
    command: ["sh", "-c", "echo ` + tag + ` {{ .Values.message }}; sleep 3600"]
    environment:
      PASSWORD_AS_RENDERED: "{{ .Values.secret_word }}"
    secrets: [word]
    deploy:
      replicas: {{ .Values.replicas }}
secrets:
  word:
    environment: secret_word
`
}

func tickerExos(version, upgradeFrom string) string {
	out := ".catalog:\n  version: " + version + "\n"
	if upgradeFrom != "" {
		out += "  upgrade_from: \"" + upgradeFrom + "\"\n"
	}
	return out + `  questions:
    - variable: replicas
      type: int
      default: 1
      min: 1
    - variable: message
      type: string
    - variable: secret_word
      type: password
      required: true
`
}

type fakeCatalogs struct{ src catalogs.Source }

func (f fakeCatalogs) Lookup(cat, name string) (catalogs.Source, error) {
	if cat != f.src.Catalog || f.src.Template.Name != name {
		return catalogs.Source{}, api.Errorf(api.ErrNotFound, "no template %s/%s", cat, name)
	}
	return f.src, nil
}

// fakeStacks records the deploys it is given and answers Latest from them.
type fakeStacks struct {
	deploys []stacks.TemplateDeploy
	latest  *api.Revision
}

func (f *fakeStacks) DeployTemplate(_ context.Context, name string, d stacks.TemplateDeploy, _, _ string) (api.DeployResult, error) {
	f.deploys = append(f.deploys, d)
	withheld := append([]string{}, d.Kept...)
	for k := range d.Passwords {
		withheld = append(withheld, k)
	}
	src := d.Source
	f.latest = &api.Revision{Stack: name, Number: len(f.deploys), Env: d.Env, Template: &src, Withheld: withheld}
	return api.DeployResult{Stack: name, Revision: len(f.deploys), Template: &src}, nil
}

func (f *fakeStacks) Latest(name string) (api.Revision, error) {
	if f.latest == nil {
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no revisions", name)
	}
	return *f.latest, nil
}

func newService(t *testing.T, env string) (*Service, *fakeStacks) {
	t.Helper()
	idx := catalog.Index(tickerFS)
	assert.Assert(t, is.Len(idx.Problems, 0))
	src := catalogs.Source{Catalog: "community", Env: env, Commit: "abc123", Template: idx.Template("ticker")}
	st := &fakeStacks{}
	return New(state.New(), fakeCatalogs{src}, st), st
}

func deployReq(sets ...string) api.TemplateDeployRequest {
	return api.TemplateDeployRequest{Template: "community/ticker:1.0.0", Sets: sets}
}

func TestDeployRecordsSourceAndNeverThePassword(t *testing.T) {
	svc, st := newService(t, "")
	res, err := svc.Deploy(context.Background(), "tick", deployReq("secret_word=hunter2", "message=hi"), "me", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 1))
	d := st.deploys[0]
	assert.Check(t, is.DeepEqual(d.Source, api.TemplateSource{Catalog: "community", Template: "ticker", Version: "1.0.0", Number: 0,
		Commit: "abc123", Answers: map[string]string{"replicas": "1", "message": "hi"}}))
	assert.Check(t, is.DeepEqual(d.Passwords, map[string]string{"secret_word": "hunter2"}))
	recorded, _ := json.Marshal([]any{d.ComposeFiles, d.ExosFile, d.Variables, d.Source})
	assert.Check(t, !strings.Contains(string(recorded), "hunter2"), "%s", recorded)
	assert.Check(t, is.Contains(d.ComposeFiles[0].Content, `PASSWORD_AS_RENDERED: "${secret_word}"`))
	assert.Check(t, is.Contains(d.ComposeFiles[0].Content, "echo v1 hi"))
}

func TestDeployRefusals(t *testing.T) {
	tests := []struct {
		name     string
		req      api.TemplateDeployRequest
		env      string
		kind     error
		msg      string
		problems []api.Problem
	}{
		{name: "bad reference", req: api.TemplateDeployRequest{Template: "ticker"}, kind: api.ErrInvalid, msg: `invalid template "ticker"`},
		{name: "unknown template", req: api.TemplateDeployRequest{Template: "community/nope"}, kind: api.ErrNotFound, msg: "no template community/nope"},
		{name: "unknown version", req: api.TemplateDeployRequest{Template: "community/ticker:9"}, kind: api.ErrNotFound,
			msg: `template community/ticker has no version "9": its versions are 1.0.0, 1.1.0, 2.0.0`},
		{name: "Cattle only", req: deployReq("secret_word=x"), kind: api.ErrInvalid, msg: "template community/ticker:2.0.0 is not deployable, so it is never deployed",
			problems: []api.Problem{{File: "templates/ticker/2/docker-compose.yml", Line: 4, Key: "services.t.volumes_from"}}},
		{name: "answers", req: deployReq("replicas=many"), kind: api.ErrInvalid, msg: "answers to community/ticker:1.0.0 are not valid; nothing was changed",
			problems: []api.Problem{{Key: "replicas"}, {Key: "secret_word"}}},
		{name: "misspelled set", req: deployReq("secret_wrod=x", "message=hi"), kind: api.ErrInvalid,
			msg:      `secret_wrod: unknown answer "secret_wrod": did you mean "secret_word"?`,
			problems: []api.Problem{{Key: "secret_word"}, {Key: "secret_wrod"}}},
		{name: "malformed set", req: deployReq("secret_word"), kind: api.ErrInvalid, msg: "--set: invalid answer #1: want variable=value"},
		{name: "bad answers file", req: api.TemplateDeployRequest{Template: "community/ticker", Answers: &api.File{Name: "a.yml", Content: "- x"}},
			kind: api.ErrInvalid, msg: "failed to read answers file a.yml"},
		{name: "other environment", env: "qa", req: api.TemplateDeployRequest{Template: "community/ticker", Env: "prod", Sets: []string{"secret_word=x"}},
			kind: api.ErrInvalid, msg: "belongs to environment qa's catalog and deploys only there, not to prod"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newService(t, tc.env)
			if tc.name == "Cattle only" {
				tc.req.Template = "community/ticker:2.0.0"
			}
			_, err := svc.Deploy(context.Background(), "tick", tc.req, "me", "")
			assert.Check(t, errors.Is(err, tc.kind), "%v", err)
			assert.Check(t, is.ErrorContains(err, tc.msg))
			var apiErr *api.Error
			if len(tc.problems) > 0 && assert.Check(t, errors.As(err, &apiErr)) {
				assert.Assert(t, is.Len(apiErr.Problems, len(tc.problems)), "%v", apiErr.Problems)
				for i, p := range tc.problems {
					assert.Check(t, is.Equal(apiErr.Problems[i].Key, p.Key))
					assert.Check(t, is.Equal(apiErr.Problems[i].File, p.File))
				}
			}
			assert.Check(t, is.Len(st.deploys, 0), "nothing deployed")
		})
	}
}

func TestDeployIntoTheCatalogsEnvironment(t *testing.T) {
	svc, st := newService(t, "qa")
	_, err := svc.Deploy(context.Background(), "tick", api.TemplateDeployRequest{Template: "community/ticker", Sets: []string{"secret_word=x"}}, "me", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.deploys[0].Env, "qa"))
}
