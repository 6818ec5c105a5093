package composeext

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
)

// realworldDir holds compose files of public projects, as published (see its SOURCES.md).
const realworldDir = "../testdata/realworld"

// realworldHome is the home directory both loaders expand ~ to.
const realworldHome = "/home/exos"

// realworldEnv is the shell environment of a user deploying the real-world files: the
// variables some of them need (the others stay unset and are blank, with a warning).
var realworldEnv = map[string]string{
	"ADMIN_USER":         "exos",                 // swarmprom: overrides ${ADMIN_USER:-admin}
	"N8N_VERSION":        "1.100.0",              // n8n-caddy: its image tags
	"DATA_FOLDER":        "~/n8n",                // n8n-caddy: a ~ bind through a variable
	"DOCKER_SOCKET_PATH": "/var/run/docker.sock", // caddy-docker-proxy
	"DOCKER_SOCKET_TYPE": "bind",
	"TZ":                 "UTC",              // pihole, wireguard: TZ=${TIMEZONE} left empty takes it
	"LOKI_URL":           "http://loki:3100", // loki-fluentd: passed through
}

func realworldFiles(t *testing.T) []string {
	t.Helper()
	// A file that references files of its own lives in a directory of its name, with them.
	names, err := filepath.Glob(filepath.Join(realworldDir, "*.yml"))
	assert.NilError(t, err)
	dirs, err := filepath.Glob(filepath.Join(realworldDir, "*", ""))
	assert.NilError(t, err)
	for _, dir := range dirs {
		if own := filepath.Join(dir, filepath.Base(dir)+".yml"); fileExists(own) {
			names = append(names, own)
		}
	}
	assert.Assert(t, len(names) >= 20, "the real-world corpus has %d files", len(names))
	return names
}

// realworldDockerEnv is what `docker stack deploy` sees: the whole environment.
func realworldDockerEnv() map[string]string {
	env := map[string]string{"HOME": realworldHome}
	for k, v := range realworldEnv {
		env[k] = v
	}
	return env
}

// realworldInput is what the plugin sends for a real-world file: the variables the files
// (and their env files) reference, the attachments, its directory and the home directory.
func realworldInput(t *testing.T, path string) Input {
	t.Helper()
	content, err := os.ReadFile(path)
	assert.NilError(t, err)
	dir, err := filepath.Abs(filepath.Dir(path))
	assert.NilError(t, err)
	in := Input{
		Stack:        "rw",
		ComposeFiles: []File{{Name: filepath.Base(path), Content: content}},
		WorkingDir:   dir,
		HomeDir:      realworldHome,
		Variables:    map[string]string{},
	}
	env := realworldDockerEnv()
	pick := func(names []string) {
		for _, name := range names {
			if v, ok := env[name]; ok {
				in.Variables[name] = v
			}
		}
	}
	pick(ReferencedVariables(in.ComposeFiles...))
	attachments, envFiles := attachFiles(t, dir, in)
	for _, f := range envFiles {
		pick(EnvFileVariables(attachments[f]))
	}
	in.Attachments = attachments
	return in
}

// TestLoadRealWorldHasNoProblems: every file docker deploys, EXOS deploys.
func TestLoadRealWorldHasNoProblems(t *testing.T) {
	for _, path := range realworldFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			_, err := Load(context.Background(), realworldInput(t, path))
			assert.NilError(t, err)
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
