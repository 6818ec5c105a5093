package fastpath

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// writeContext stores a docker context as `docker context create` does.
func writeContext(t *testing.T, configDir, name, host string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	dir := filepath.Join(configDir, "contexts", "meta", hex.EncodeToString(sum[:]))
	assert.NilError(t, os.MkdirAll(dir, 0o755))
	meta := `{"Name":"` + name + `","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":false}}}`
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "meta.json"), []byte(meta), 0o644))
}

func TestEndpointKeyResolvesTheContextAsDockerDoes(t *testing.T) {
	cfg := t.TempDir()
	writeContext(t, cfg, "prod", "ssh://admin@prod-manager")
	writeContext(t, cfg, "qa", "tcp://10.0.0.9:2376")
	assert.NilError(t, os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"currentContext":"qa"}`), 0o600))
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DOCKER_HOST": "unix:///run/n1.sock", "DOCKER_CONTEXT": "prod"}, "default|unix:///run/n1.sock"},
		{map[string]string{"DOCKER_CONTEXT": "prod"}, "prod|ssh://admin@prod-manager"},
		{map[string]string{}, "qa|tcp://10.0.0.9:2376"},
		{map[string]string{"DOCKER_CONTEXT": "default"}, "default|unix:///var/run/docker.sock"},
	} {
		key, ok := endpointKey(env(tc.env), cfg)
		assert.Check(t, ok, "%v", tc.env)
		assert.Check(t, is.Equal(key, tc.want), "%v", tc.env)
	}

	key, ok := endpointKey(env(nil), t.TempDir())
	assert.Check(t, ok && key == "default|unix:///var/run/docker.sock", "no config.json: the default context")
	_, ok = endpointKey(env(map[string]string{"DOCKER_CONTEXT": "missing"}), cfg)
	assert.Check(t, !ok, "a context that does not exist is the full CLI's to report")
	damaged := t.TempDir()
	assert.NilError(t, os.WriteFile(filepath.Join(damaged, "config.json"), []byte(`{"currentContext":`), 0o600))
	_, ok = endpointKey(env(nil), damaged)
	assert.Check(t, !ok, "a damaged config.json is the full CLI's to report")
}

func TestNoSavedManagerWhenTheUserOverridesOrNothingIsSaved(t *testing.T) {
	cfg := t.TempDir()
	exos := filepath.Join(cfg, "exos")
	assert.NilError(t, os.MkdirAll(exos, 0o700))
	write := func(name, data string) {
		assert.NilError(t, os.WriteFile(filepath.Join(exos, name), []byte(data), 0o600))
	}
	base := map[string]string{"DOCKER_CONFIG": cfg, "DOCKER_HOST": "unix:///n1.sock"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for bk, bv := range base {
			m[bk] = bv
		}
		m[k] = v
		return m
	}
	_, ok := findSavedManager(env(base))
	assert.Check(t, !ok, "no endpoint cache")

	write("endpoints.json", `{"default|unix:///n1.sock":{"swarm":"clu1","endpoint":{"URL":"https://10.0.0.5:7420"}},`+
		`"default|unix:///plain.sock":{"swarm":"clu1","endpoint":{"URL":"http://10.0.0.5:7420"}}}`)
	_, ok = findSavedManager(env(base))
	assert.Check(t, !ok, "no login file")
	write("clu1.json", `{"token":"exos_t","swarm":"clu1"}`)
	_, ok = findSavedManager(env(base))
	assert.Check(t, !ok, "no pinned CA")
	write("clu1.json", `{"token":"","swarm":"clu1","ca":"PEM"}`)
	_, ok = findSavedManager(env(base))
	assert.Check(t, !ok, "logged out")
	write("clu1.json", `{"token":"exos_t","swarm":"clu2","ca":"PEM"}`)
	_, ok = findSavedManager(env(base))
	assert.Check(t, !ok, "a login file of another swarm")

	write("clu1.json", `{"token":"exos_t","swarm":"clu1","ca":"PEM"}`)
	m, ok := findSavedManager(env(base))
	assert.Check(t, ok)
	assert.Check(t, is.Equal(m.url, "https://10.0.0.5:7420"))
	assert.Check(t, is.Equal(m.token, "exos_t"))
	assert.Check(t, is.Equal(string(m.ca), "PEM"))
	for _, override := range userOverrides {
		_, ok = findSavedManager(env(with(override, "x")))
		assert.Check(t, !ok, "%s is the full CLI's to honour", override)
	}
	_, ok = findSavedManager(env(with("DOCKER_HOST", "unix:///plain.sock")))
	assert.Check(t, !ok, "a manager serving plain HTTP: the full CLI warns on every call")
	_, ok = findSavedManager(env(with("DOCKER_HOST", "unix:///other.sock")))
	assert.Check(t, !ok, "another Docker endpoint")
}
