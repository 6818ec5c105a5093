package composeext

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
	"testing"

	"github.com/docker/cli/cli/compose/convert"
	cliloader "github.com/docker/cli/cli/compose/loader"
	clitypes "github.com/docker/cli/cli/compose/types"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"github.com/sirupsen/logrus"
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

// dockerStack is what `docker stack deploy` makes of a file: the specs it sends and the
// warnings it prints.
type dockerStack struct {
	services map[string]swarm.ServiceSpec
	networks map[string]network.CreateOptions // by full name; Driver defaulted as createNetworks does
	external []string                         // external networks
	configs  []swarm.ConfigSpec
	secrets  []swarm.SecretSpec
	// warnings are the service keys of its "Ignoring unsupported/deprecated options"
	// lines, and what its loader logged.
	unsupported, deprecated, logged []string
}

// dockerDeploy converts a file exactly as `docker stack deploy` does, with docker/cli's own
// loader (cli/command/stack/loader's steps) and converter. env is the process environment
// it would see (HOME included); dir is the file's directory.
func dockerDeploy(t *testing.T, dir string, in Input, env map[string]string) dockerStack {
	t.Helper()
	// The loader reads env files' bare names from the process environment.
	for k, v := range env {
		t.Setenv(k, v)
	}
	dict, err := cliloader.ParseYAML(in.ComposeFiles[0].Content)
	assert.NilError(t, err)
	wd, err := filepath.Abs(dir)
	assert.NilError(t, err)
	var out dockerStack
	out.logged = captureLogs(t, func() {
		cfg, err := cliloader.Load(clitypes.ConfigDetails{
			WorkingDir:  wd,
			ConfigFiles: []clitypes.ConfigFile{{Filename: in.ComposeFiles[0].Name, Config: dict}},
			Environment: env,
		})
		assert.NilError(t, err)
		ns := convert.NewNamespace(in.Stack)
		out.services, err = convert.Services(context.Background(), ns, cfg, fakeObjectClient{})
		assert.NilError(t, err)
		out.networks, out.external = convert.Networks(ns, cfg.Networks, servicesNetworks(cfg))
		out.secrets, err = convert.Secrets(ns, cfg.Secrets)
		assert.NilError(t, err)
		out.configs, err = convert.Configs(ns, cfg.Configs)
		assert.NilError(t, err)
	})
	for name, opts := range out.networks {
		if opts.Driver == "" {
			opts.Driver = "overlay"
			out.networks[name] = opts
		}
	}
	out.unsupported = cliloader.GetUnsupportedProperties(dict)
	for key := range cliloader.GetDeprecatedProperties(dict) {
		out.deprecated = append(out.deprecated, key)
	}
	return out
}

// servicesNetworks is deploy_composefile.go's getServicesDeclaredNetworks.
func servicesNetworks(cfg *clitypes.Config) map[string]struct{} {
	out := map[string]struct{}{}
	for _, svc := range cfg.Services {
		if len(svc.Networks) == 0 {
			out["default"] = struct{}{}
		}
		for nw := range svc.Networks {
			out[nw] = struct{}{}
		}
	}
	return out
}

// logHook records what docker/cli's loader logs through logrus (its deprecation warnings).
type logHook struct{ messages []string }

func (*logHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *logHook) Fire(e *logrus.Entry) error {
	h.messages = append(h.messages, e.Message)
	return nil
}

func captureLogs(t *testing.T, fn func()) []string {
	t.Helper()
	std := logrus.StandardLogger()
	hook := &logHook{}
	hooks, out := std.ReplaceHooks(logrus.LevelHooks{}), std.Out
	defer func() {
		std.ReplaceHooks(hooks)
		std.SetOutput(out)
	}()
	std.AddHook(hook)
	std.SetOutput(io.Discard)
	fn()
	return hook.messages
}

func jsonValue(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	assert.NilError(t, err)
	var out any
	assert.NilError(t, json.Unmarshal(data, &out))
	return out
}

// assertMatchesDocker loads in with EXOS and checks it against dockerDeploy: the same
// service specs (object IDs resolved the same way), networks, configs and secrets, and a
// warning for everything docker warns about.
func assertMatchesDocker(t *testing.T, dir string, in Input, env map[string]string) {
	t.Helper()
	want := dockerDeploy(t, dir, in, env)
	st, err := Load(context.Background(), in)
	assert.NilError(t, err)
	assert.Check(t, is.Len(st.Services, len(want.services)))
	for _, svc := range st.Services {
		spec := svc.Spec
		ids := allIDs(spec)
		assert.NilError(t, ResolveObjectIDs(&spec, ids, ids))
		expected, ok := want.services[svc.Name]
		assert.Assert(t, ok, "service %s not converted by the CLI", svc.Name)
		assert.Check(t, is.DeepEqual(jsonValue(t, spec), jsonValue(t, expected)), "service %s", svc.Name)
	}
	got := exosObjects(st)
	assert.Check(t, is.DeepEqual(jsonValue(t, got.networks), jsonValue(t, want.networks)), "networks")
	assert.Check(t, is.DeepEqual(got.external, sorted(want.external)), "external networks")
	assert.Check(t, is.DeepEqual(jsonValue(t, got.configs), jsonValue(t, sortedConfigs(want.configs))), "configs")
	assert.Check(t, is.DeepEqual(jsonValue(t, got.secrets), jsonValue(t, sortedSecrets(want.secrets))), "secrets")
	assertWarnsLikeDocker(t, st.Warnings, want)
}

func sorted(list []string) []string {
	out := append([]string{}, list...)
	sort.Strings(out)
	return out
}
