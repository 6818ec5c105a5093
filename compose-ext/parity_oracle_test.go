package composeext

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	clitypes "github.com/docker/cli/cli/compose/types"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestLoadMatchesDockerCLI is the differential test without Docker: every corpus file
// must give the specs docker/cli's own loader and converter give.
func TestLoadMatchesDockerCLI(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			in := corpusInput(t, path)
			assertMatchesDocker(t, corpusDir, in, in.Variables)
		})
	}
}

// TestLoadRealWorldMatchesDockerCLI runs the same comparison over compose files of public
// projects, as published, with the same directories and environment on both sides.
func TestLoadRealWorldMatchesDockerCLI(t *testing.T) {
	for _, path := range realworldFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			assertMatchesDocker(t, filepath.Dir(path), realworldInput(t, path), realworldDockerEnv())
		})
	}
}

// exosStack is a Stack in dockerStack's shape.
type exosStack struct {
	networks map[string]network.CreateOptions
	external []string
	configs  []swarm.ConfigSpec
	secrets  []swarm.SecretSpec
}

// exosObjects keeps what docker's converters give: the networks to create, the names of
// the external ones, and the configs and secrets to create, sorted by name.
func exosObjects(st *Stack) exosStack {
	out := exosStack{networks: map[string]network.CreateOptions{}, external: []string{}}
	for _, nw := range st.Networks {
		if nw.External {
			out.external = append(out.external, nw.Name)
			continue
		}
		out.networks[nw.Name] = nw.Create
	}
	sort.Strings(out.external)
	out.configs, out.secrets = []swarm.ConfigSpec{}, []swarm.SecretSpec{}
	for _, c := range st.Configs {
		if !c.External {
			out.configs = append(out.configs, c.Spec)
		}
	}
	for _, s := range st.Secrets {
		if !s.External {
			out.secrets = append(out.secrets, s.Spec)
		}
	}
	return out
}

func sortedConfigs(list []swarm.ConfigSpec) []swarm.ConfigSpec {
	out := append([]swarm.ConfigSpec{}, list...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func sortedSecrets(list []swarm.SecretSpec) []swarm.SecretSpec {
	out := append([]swarm.SecretSpec{}, list...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// assertWarnsLikeDocker checks that every key docker prints a warning about has an EXOS
// warning in docker's words, and every line docker's loader logs is an EXOS warning.
func assertWarnsLikeDocker(t *testing.T, warnings []Problem, want dockerStack) {
	t.Helper()
	has := func(suffix, prefix string) bool {
		return slices.ContainsFunc(warnings, func(w Problem) bool {
			return strings.HasSuffix(w.Key, suffix) && strings.HasPrefix(w.Message, prefix) && w.Line > 0
		})
	}
	for _, key := range want.unsupported {
		assert.Check(t, has("."+key, "Ignoring unsupported options: "+key), "no warning for %s in %v", key, warnings)
	}
	for _, key := range want.deprecated {
		assert.Check(t, has("."+key, "Ignoring deprecated options: "+key+": "), "no warning for %s in %v", key, warnings)
	}
	for _, msg := range want.logged {
		assert.Check(t, has("", msg), "docker logged %q, EXOS has %v", msg, warnings)
	}
}

// allIDs maps every secret and config a spec references to "id-<name>", like
// fakeObjectClient.
func allIDs(spec swarm.ServiceSpec) map[string]string {
	ids := map[string]string{}
	cs := spec.TaskTemplate.ContainerSpec
	for _, s := range cs.Secrets {
		ids[s.SecretName] = "id-" + s.SecretName
	}
	for _, c := range cs.Configs {
		ids[c.ConfigName] = "id-" + c.ConfigName
	}
	return ids
}

// TestEmbeddedSchemaIsDockers keeps the key rules docker/cli's own: the schema byte for
// byte, and the property tables its loader warns with.
func TestEmbeddedSchemaIsDockers(t *testing.T) {
	mod := goModDir(t, "github.com/docker/cli")
	want, err := os.ReadFile(filepath.Join(mod, "cli/compose/schema/data/config_schema_v"+dockerDefaultVersion+".json"))
	assert.NilError(t, err)
	assert.Check(t, string(dockerSchemaJSON) == string(want), "parity_schema_v3.13.json differs from docker/cli's")
	assert.Check(t, is.DeepEqual(dockerUnsupported, clitypes.UnsupportedProperties))
	assert.Check(t, is.DeepEqual(dockerDeprecated, clitypes.DeprecatedProperties))
	for key := range clitypes.ForbiddenProperties {
		assert.Check(t, refusedWhy["services.*."+key] != "", "forbidden %s has no reason", key)
	}
}
