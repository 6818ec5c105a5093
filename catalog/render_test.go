package catalog

import (
	"context"
	"errors"
	"testing"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func serviceNames(st *composeext.Stack) []string {
	var names []string
	for _, s := range st.Services {
		names = append(names, s.Name)
	}
	return names
}

func TestRenderPlainComposeConverts(t *testing.T) {
	v := testCatalog(t).Template("mysql").Version("1.1.0")
	values, err := Resolve(v.Questions, nil, map[string]string{"root_password": "pw", "mysql_port": "3307"})
	assert.NilError(t, err)
	out, err := Render(*v, values)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(string(out.ComposeFiles[0].Content), string(v.Compose.Content)), "${VAR} is left to composeext")

	st, err := composeext.Load(context.Background(), out.Input("db"))
	assert.NilError(t, err)
	assert.DeepEqual(t, serviceNames(st), []string{"db"})
	spec := st.Services[0].Spec
	assert.Check(t, is.Equal(spec.TaskTemplate.ContainerSpec.Image, "mysql:8.0.36"))
	assert.Check(t, is.Contains(spec.TaskTemplate.ContainerSpec.Env, "MYSQL_ROOT_PASSWORD=pw"))
	assert.Check(t, is.Equal(spec.EndpointSpec.Ports[0].PublishedPort, uint32(3307)))
	assert.Check(t, is.Equal(st.Catalog["version"], "1.1.0"))
}

func TestRenderTemplate(t *testing.T) {
	v := testCatalog(t).Template("webapp").Version("")
	tests := []struct {
		name     string
		sets     map[string]string
		services []string
		replicas uint64
	}{
		{"defaults", nil, []string{"cache", "web"}, 2},
		{"typed values", map[string]string{"with_cache": "false", "replicas": "3"}, []string{"web"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			values, err := Resolve(v.Questions, nil, tc.sets)
			assert.NilError(t, err)
			out, err := Render(*v, values)
			assert.NilError(t, err)
			st, err := composeext.Load(context.Background(), out.Input("web"))
			assert.NilError(t, err)
			assert.DeepEqual(t, serviceNames(st), tc.services)
			web := st.Services[len(st.Services)-1].Spec
			assert.Check(t, is.Equal(*web.Mode.Replicated.Replicas, tc.replicas))
			assert.Check(t, is.Contains(web.TaskTemplate.ContainerSpec.Env, "TITLE=hello"))
		})
	}
}

func TestRenderErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, content string
		line          int
		message       string
	}{
		{"missing value", "services:\n  web:\n    image: {{ .Values.nope }}\n", 3,
			`<.Values.nope>: map has no entry for key "nope": the template reads .Values.nope, which no question asks and no answer gives (add a question nope to the .catalog block, or answer it with --set nope=...)`},
		{"bad syntax", "services:\n  {{ if }}\n", 2, "missing value for if"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Version{Template: true, Compose: composeext.File{Name: "templates/x/0/docker-compose.yml.tpl", Content: []byte(tc.content)}}
			_, err := Render(v, Values{Typed: map[string]any{}})
			var verr *composeext.ValidationError
			assert.Assert(t, errors.As(err, &verr))
			assert.DeepEqual(t, verr.Problems, []composeext.Problem{{File: v.Compose.Name, Line: tc.line, Message: tc.message}})
		})
	}
}

func TestUpgrades(t *testing.T) {
	tpl := &Template{Versions: []Version{
		{Number: "0", Version: "1.0.0"},
		{Number: "1", Version: "1.1.0-rancher1", UpgradeFrom: ">=1.0.0 <1.1.0"},
		{Number: "2", Version: "1.2.0", UpgradeFrom: ">=1.1.0-rancher1"},
		{Number: "3", Version: "2.0.0", UpgradeFrom: "1.2.0 || >=1.5.0"},
		{Number: "4", Version: "2.1.0"},
	}}
	tests := []struct {
		from string
		want []string
	}{
		{"1.0.0", []string{"1.1.0-rancher1", "2.1.0"}},
		{"1.1.0-rancher1", []string{"1.2.0", "2.1.0"}},
		{"1.2.0", []string{"2.0.0", "2.1.0"}},
		{"2.1.0", nil},
		{"0.9.0", []string{"1.0.0", "2.1.0"}},
		{"0", []string{"1.1.0-rancher1", "2.1.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			var got []string
			for _, v := range tpl.Upgrades(tc.from) {
				got = append(got, v.Version)
			}
			assert.DeepEqual(t, got, tc.want)
		})
	}
}

func TestUpgradesTestdata(t *testing.T) {
	ups := testCatalog(t).Template("mysql").Upgrades("1.0.0")
	assert.Assert(t, is.Len(ups, 1))
	assert.Check(t, is.Equal(ups[0].Version, "1.1.0"))
}
