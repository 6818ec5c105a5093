package composeext

import (
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// oracleInput is an Input for compose in dir, with what the plugin would send: dir as
// WorkingDir, env's HOME as HomeDir, env as Variables and the attachments read from dir.
func oracleInput(t *testing.T, dir, compose string, env map[string]string) Input {
	t.Helper()
	in := Input{
		Stack:        "s",
		ComposeFiles: []File{{Name: "c.yml", Content: []byte(compose)}},
		WorkingDir:   dir,
		HomeDir:      env["HOME"],
		Variables:    env,
	}
	in.Attachments, _ = attachFiles(t, dir, in)
	return in
}

const bindsCompose = `services:
  web:
    image: exos/busybox:1
    volumes:
      - ./data:/data
      - ../up:/up/
      - ~/cache:/cache:ro
      - ~:/home
      - ${DATA}/logs:/logs:rslave
      - /abs/./x:/x
      - {type: bind, source: data/long, target: /long}
      - {type: bind, source: /a, target: /a, bind: {create_host_path: true}}
      - {type: bind, source: /b, target: /b, bind: {selinux: z}}
      - {type: volume, source: v, target: /v, volume: {subpath: a}}
      - {type: tmpfs, target: /t/, tmpfs: {size: 1000}}
volumes:
  v:
`

// Bind sources resolve against the client's directories exactly as docker/cli's loader
// resolves them; targets and bind options are docker's too.
func TestBindsMatchDocker(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HOME": "/home/u", "DATA": "~/d"}
	assertMatchesDocker(t, dir, oracleInput(t, dir, bindsCompose, env), env)
}

func TestRelativeBindNeedsTheDirectories(t *testing.T) {
	compose := "services:\n  web:\n    image: exos/busybox:1\n    volumes:\n      - ./data:/data\n      - ~/x:/x\n"
	ps := loadProblems(t, Input{Stack: "s", ComposeFiles: []File{{Name: "c.yml", Content: []byte(compose)}}})
	assert.Check(t, is.DeepEqual(problemStrings(ps), []string{
		`c.yml:5: services.web.volumes.0: bind mount source "./data" is relative: resolving it needs the directory of the first compose file, which the client did not send`,
		`c.yml:6: services.web.volumes.1: bind mount source "~/x" starts with ~: expanding it needs the client's home directory, which the client did not send`,
	}))
}

// A short-syntax source that is not a path names a volume, as for docker.
func TestShortSyntaxNameIsAVolume(t *testing.T) {
	compose := "services:\n  web:\n    image: exos/busybox:1\n    volumes:\n      - data/x:/x\n"
	ps := loadProblems(t, Input{Stack: "s", ComposeFiles: []File{{Name: "c.yml", Content: []byte(compose)}}, WorkingDir: "/w"})
	assert.Assert(t, is.Len(ps, 1))
	assert.Check(t, is.Contains(ps[0].String(), "undefined volume data/x"))
}

const envFileCompose = `services:
  web:
    image: exos/busybox:1
    env_file: [./base.env, extra.env]
    environment:
      OVERRIDE: from-compose
      EMPTY_HERE: ""
      TZ: ${TIMEZONE}
`

// env_file entries are read from the attachments and parsed as docker/cli parses them;
// empty values take the caller's value.
func TestEnvFilesMatchDocker(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "base.env"),
		[]byte("\ufeff# comment\nQUOTED=\"kept as is\"\nOVERRIDE=from-file\n  INDENTED=yes\nFROM_SHELL\nEMPTY=\nNOT_IN_SHELL\n"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "extra.env"), []byte("QUOTED=second wins\n"), 0o644))
	env := map[string]string{"HOME": "/home/u", "FROM_SHELL": "shell", "EMPTY": "filled", "EMPTY_HERE": "filled too", "TZ": "UTC"}
	in := oracleInput(t, dir, envFileCompose, env)
	assertMatchesDocker(t, dir, in, env)

	delete(in.Attachments, "extra.env")
	ps := loadProblems(t, in)
	assert.Check(t, is.DeepEqual(problemStrings(ps), []string{`c.yml:4: services.web.env_file.1: env file "extra.env" was not attached`}))
}

func TestEnvFileVariables(t *testing.T) {
	got := EnvFileVariables([]byte("A=1\nB\nC=\n# D\n"))
	assert.Check(t, is.DeepEqual(got, []string{"B", "C"}))
}

func TestEnvFileErrors(t *testing.T) {
	for content, want := range map[string]string{
		"=x\n":     "no variable name on line '=x'",
		"A B=1\n":  "variable 'A B' contains whitespaces",
		"A=\xff\n": "invalid utf8 bytes at line 1",
	} {
		_, err := parseEnvFile([]byte(content), nil)
		assert.Check(t, is.ErrorContains(err, want))
	}
}

// A short-syntax port's host address is dropped, with the warning docker logs.
func TestPortHostAddressesMatchDocker(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  web:\n    image: exos/busybox:1\n    ports:\n      - 127.0.0.1:8080:80\n      - 0.0.0.0:8081:81/udp\n      - 8082:82\n"
	env := map[string]string{"HOME": "/home/u"}
	assertMatchesDocker(t, dir, oracleInput(t, dir, compose, env), env)
}
