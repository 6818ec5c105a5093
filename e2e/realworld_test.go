//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// realworldEnv is the shell environment both tools deploy the real-world files with (the
// same values as compose-ext's realworldEnv; HOME is the test's own, for both).
var realworldEnv = []string{
	"ADMIN_USER=exos", "N8N_VERSION=1.100.0", "DATA_FOLDER=~/n8n",
	"DOCKER_SOCKET_PATH=/var/run/docker.sock", "DOCKER_SOCKET_TYPE=bind",
	"TZ=UTC",
	"LOKI_URL=http://loki:3100",
}

// What the real-world files name as external and a test swarm cannot guess (see
// testdata/realworld/SOURCES.md).
var (
	realworldSecrets  = []string{"postgres_password", "staging_token", "revprox_key", "revprox_cert"}
	realworldNetworks = []string{"caddy_test"}
)

// TestRealWorld deploys every compose file of public projects in testdata/realworld with
// `docker stack deploy` and with EXOS, on the same swarm, from the same directory and
// environment: the services must be the same, and EXOS must warn about every option
// docker says it ignores.
func TestRealWorld(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	for _, name := range realworldNetworks {
		e.docker("network", "create", "-d", "overlay", "--attachable", name).Assert(t, icmd.Success)
	}
	for _, name := range realworldSecrets {
		cmd := icmd.Command("docker", "secret", "create", name, "-")
		icmd.RunCmd(cmd, icmd.WithEnv(e.env(1)...), icmd.WithStdin(strings.NewReader("s3cret"))).Assert(t, icmd.Success)
	}
	env := append(e.env(1), realworldEnv...)
	files := realworldFiles(t)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yml"), func(t *testing.T) {
			native, res := e.deployBothWays(t, file, env)
			for _, key := range ignoredOptions(native.Stderr()) {
				assert.Check(t, is.Contains(res.Stderr(), "options: "+key), "docker ignores %s, EXOS does not say so", key)
			}
		})
	}
}

// realworldFiles are testdata/realworld/*.yml, and DIR/DIR.yml for a file that brings
// files of its own.
func realworldFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/realworld/*.yml")
	assert.NilError(t, err)
	dirs, err := filepath.Glob("../testdata/realworld/*")
	assert.NilError(t, err)
	for _, dir := range dirs {
		own := filepath.Join(dir, filepath.Base(dir)+".yml")
		if _, err := os.Stat(own); err == nil {
			files = append(files, own)
		}
	}
	assert.Assert(t, len(files) >= 20, "the real-world corpus has %d files", len(files))
	return files
}

var (
	unsupportedRE = regexp.MustCompile(`(?m)^Ignoring unsupported options: (.+)$`)
	deprecatedRE  = regexp.MustCompile(`(?m)^(container_name|expose): `)
)

// ignoredOptions lists the keys `docker stack deploy` printed it ignores.
func ignoredOptions(stderr string) []string {
	var keys []string
	for _, m := range unsupportedRE.FindAllStringSubmatch(stderr, -1) {
		keys = append(keys, strings.Split(m[1], ", ")...)
	}
	for _, m := range deprecatedRE.FindAllStringSubmatch(stderr, -1) {
		keys = append(keys, m[1])
	}
	return keys
}
