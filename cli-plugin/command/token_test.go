package command

import (
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestSaveTokenIsPrivateAndPerSwarm(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exos")
	assert.NilError(t, SaveToken(dir, "swarmA", "exos_a"))
	assert.NilError(t, SaveToken(dir, "swarmB", "exos_b"))

	st, err := os.Stat(TokenPath(dir, "swarmA"))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.Mode().Perm(), os.FileMode(0o600)))
	dirSt, err := os.Stat(dir)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(dirSt.Mode().Perm(), os.FileMode(0o700)))

	data, err := os.ReadFile(TokenPath(dir, "swarmA"))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(string(data), `{"token":"exos_a","swarm":"swarmA"}`))

	a, err := LoadToken(dir, "swarmA")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(a, "exos_a"))
	b, err := LoadToken(dir, "swarmB")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(b, "exos_b"))
}

func TestSaveTokenReplaces(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "s", "exos_old"))
	assert.NilError(t, SaveToken(dir, "s", "exos_new"))
	got, err := LoadToken(dir, "s")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got, "exos_new"))
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	assert.Check(t, is.Len(entries, 1), "no temporary file left behind")
}

func TestLoadTokenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadToken(dir, "nope")
	assert.Check(t, is.ErrorContains(err, "no EXOS token saved for swarm nope"))
	assert.Check(t, is.ErrorContains(err, "docker exos manager install"))

	assert.NilError(t, os.WriteFile(TokenPath(dir, "bad"), []byte("{"), 0o600))
	_, err = LoadToken(dir, "bad")
	assert.Check(t, is.ErrorContains(err, "is damaged"))

	assert.NilError(t, os.WriteFile(TokenPath(dir, "moved"), []byte(`{"token":"exos_x","swarm":"elsewhere"}`), 0o600))
	_, err = LoadToken(dir, "moved")
	assert.Check(t, is.ErrorContains(err, "belongs to swarm elsewhere"))
}

func TestRemoveToken(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "s", "exos_x"))
	assert.NilError(t, RemoveToken(dir, "s"))
	assert.NilError(t, RemoveToken(dir, "s"), "removing twice is fine")
	_, err := os.Stat(TokenPath(dir, "s"))
	assert.Check(t, os.IsNotExist(err))
}

func TestTokenDirHonoursDockerConfig(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", "/tmp/dockercfg")
	// config.Dir reads DOCKER_CONFIG once per process; nothing else here calls it.
	assert.Check(t, is.Equal(TokenDir(), "/tmp/dockercfg/exos"))
}
