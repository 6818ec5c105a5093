package composeext

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/docker/cli/cli/compose/convert"
	cliloader "github.com/docker/cli/cli/compose/loader"
	clitypes "github.com/docker/cli/cli/compose/types"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeObjectClient answers the secret and config lookups convert.Services makes: every
// requested name exists with the ID "id-<name>".
type fakeObjectClient struct {
	client.APIClient
}

func (fakeObjectClient) ClientVersion() string { return "1.41" }

func (fakeObjectClient) SecretList(_ context.Context, opts swarm.SecretListOptions) ([]swarm.Secret, error) {
	var out []swarm.Secret
	for _, name := range opts.Filters.Get("name") {
		out = append(out, swarm.Secret{ID: "id-" + name, Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: name}}})
	}
	return out, nil
}

func (fakeObjectClient) ConfigList(_ context.Context, opts swarm.ConfigListOptions) ([]swarm.Config, error) {
	var out []swarm.Config
	for _, name := range opts.Filters.Get("name") {
		out = append(out, swarm.Config{ID: "id-" + name, Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: name}}})
	}
	return out, nil
}

// fakeIDs maps every name to "id-<name>", like fakeObjectClient.
type fakeIDs struct{}

func (fakeIDs) ids(refs ...string) map[string]string {
	m := map[string]string{}
	for _, r := range refs {
		m[r] = "id-" + r
	}
	return m
}

// cliSpecs converts a corpus file exactly as `docker stack deploy` does.
func cliSpecs(t *testing.T, in Input) map[string]swarm.ServiceSpec {
	t.Helper()
	dict, err := cliloader.ParseYAML(in.ComposeFiles[0].Content)
	assert.NilError(t, err)
	wd, err := filepath.Abs(corpusDir)
	assert.NilError(t, err)
	cfg, err := cliloader.Load(clitypes.ConfigDetails{
		WorkingDir:  wd,
		ConfigFiles: []clitypes.ConfigFile{{Filename: in.ComposeFiles[0].Name, Config: dict}},
		Environment: in.Variables,
	})
	assert.NilError(t, err)
	specs, err := convert.Services(context.Background(), convert.NewNamespace(in.Stack), cfg, fakeObjectClient{})
	assert.NilError(t, err)
	return specs
}

func jsonValue(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	assert.NilError(t, err)
	var out any
	assert.NilError(t, json.Unmarshal(data, &out))
	return out
}

// TestLoadMatchesDockerCLI is the differential test without Docker: every corpus file
// must give the ServiceSpecs docker/cli's own loader and converter give.
func TestLoadMatchesDockerCLI(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			in := corpusInput(t, path)
			want := cliSpecs(t, in)
			st, err := Load(context.Background(), in)
			assert.NilError(t, err)
			assert.Check(t, is.Len(st.Services, len(want)))
			for _, svc := range st.Services {
				spec := svc.Spec
				ids := allIDs(spec)
				assert.NilError(t, ResolveObjectIDs(&spec, ids, ids))
				expected, ok := want[svc.Name]
				assert.Assert(t, ok, "service %s not converted by the CLI", svc.Name)
				assert.Check(t, is.DeepEqual(jsonValue(t, spec), jsonValue(t, expected)), "service %s", svc.Name)
			}
		})
	}
}

func allIDs(spec swarm.ServiceSpec) map[string]string {
	var names []string
	cs := spec.TaskTemplate.ContainerSpec
	for _, s := range cs.Secrets {
		names = append(names, s.SecretName)
	}
	for _, c := range cs.Configs {
		names = append(names, c.ConfigName)
	}
	return fakeIDs{}.ids(names...)
}
