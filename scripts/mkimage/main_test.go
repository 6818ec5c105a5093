package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// tarEntry is what the tests check of one tar member.
type tarEntry struct {
	Typ  byte
	Mode int64
	Link string
	Data string
}

func readTar(t *testing.T, b []byte) map[string]tarEntry {
	t.Helper()
	out := map[string]tarEntry{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		assert.NilError(t, err)
		data, err := io.ReadAll(tr)
		assert.NilError(t, err)
		assert.Check(t, hdr.ModTime.Equal(epoch), "mtime of %s", hdr.Name)
		out[hdr.Name] = tarEntry{Typ: hdr.Typeflag, Mode: hdr.Mode, Link: hdr.Linkname, Data: string(data)}
	}
}

func writeFile(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	assert.NilError(t, os.WriteFile(p, []byte(content), mode))
	assert.NilError(t, os.Chmod(p, mode))
	return p
}

func TestRunWritesConsistentArchive(t *testing.T) {
	bin := writeFile(t, "exos-manager", "#!binary", 0o755)
	passwd := writeFile(t, "passwd", "root:x:0:0::/root:/bin/sh\n", 0o600)
	out := filepath.Join(t.TempDir(), "img.tar")
	args := []string{
		"-o", out, "-tag", "exos/manager:1.2.3", "-tag", "exos/manager:latest",
		"-add", bin + ":/exos-manager", "-add", passwd + ":/etc/passwd:0644",
		"-symlink", "busybox:/bin/sh", "-dir", "/tmp:1777",
		"-entrypoint", `["/exos-manager"]`, "-cmd", `["serve"]`,
		"-env", "A=1", "-label", "org.exos=yes", "-expose", "7420/tcp", "-workdir", "/data", "-user", "nobody",
	}
	assert.NilError(t, run(args))
	archive, err := os.ReadFile(out)
	assert.NilError(t, err)
	files := readTar(t, archive)

	var manifest []manifestEntry
	assert.NilError(t, json.Unmarshal([]byte(files["manifest.json"].Data), &manifest))
	assert.Assert(t, is.Len(manifest, 1))
	m := manifest[0]
	assert.Check(t, is.DeepEqual(m.RepoTags, []string{"exos/manager:1.2.3", "exos/manager:latest"}))
	cfgJSON := files[m.Config].Data
	assert.Check(t, is.Equal(m.Config, sha256Hex([]byte(cfgJSON))+".json"), "config name is its digest")

	var cfg imageConfig
	assert.NilError(t, json.Unmarshal([]byte(cfgJSON), &cfg))
	assert.Assert(t, is.Len(m.Layers, 1))
	layerTar := files[m.Layers[0]].Data
	assert.Check(t, is.DeepEqual(cfg.RootFS.DiffIDs, []string{"sha256:" + sha256Hex([]byte(layerTar))}))
	assert.Check(t, is.Equal(cfg.OS, "linux"))
	assert.Check(t, is.DeepEqual(cfg.Config, containerConfig{
		User: "nobody", WorkingDir: "/data", Env: []string{"A=1"},
		Entrypoint: []string{"/exos-manager"}, Cmd: []string{"serve"},
		Labels: map[string]string{"org.exos": "yes"}, ExposedPorts: map[string]struct{}{"7420/tcp": {}},
	}))

	assert.Check(t, is.DeepEqual(readTar(t, []byte(layerTar)), map[string]tarEntry{
		"bin/":         {Typ: tar.TypeDir, Mode: 0o755},
		"bin/sh":       {Typ: tar.TypeSymlink, Mode: 0o777, Link: "busybox"},
		"etc/":         {Typ: tar.TypeDir, Mode: 0o755},
		"etc/passwd":   {Typ: tar.TypeReg, Mode: 0o644, Data: "root:x:0:0::/root:/bin/sh\n"},
		"exos-manager": {Typ: tar.TypeReg, Mode: 0o755, Data: "#!binary"},
		"tmp/":         {Typ: tar.TypeDir, Mode: 0o1777},
	}))
}

func TestRunIsDeterministic(t *testing.T) {
	bin := writeFile(t, "busybox", "bb", 0o755)
	dir := t.TempDir()
	for _, name := range []string{"a.tar", "b.tar"} {
		assert.NilError(t, run([]string{"-o", filepath.Join(dir, name), "-tag", "x:1", "-add", bin + ":/bin/busybox", "-cmd", `["sh"]`}))
	}
	a, err := os.ReadFile(filepath.Join(dir, "a.tar"))
	assert.NilError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "b.tar"))
	assert.NilError(t, err)
	assert.Check(t, bytes.Equal(a, b), "archives differ")
}

func TestRunRejectsBadInput(t *testing.T) {
	bin := writeFile(t, "f", "x", 0o644)
	out := filepath.Join(t.TempDir(), "o.tar")
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no tag", []string{"-o", out}, "-o and at least one -tag are required"},
		{"bad add", []string{"-o", out, "-tag", "x:1", "-add", bin}, "want SRC:DST[:MODE]"},
		{"bad mode", []string{"-o", out, "-tag", "x:1", "-add", bin + ":/f:999"}, `invalid mode "999"`},
		{"missing src", []string{"-o", out, "-tag", "x:1", "-add", "/nonexistent:/f"}, "failed to stat /nonexistent"},
		{"twice", []string{"-o", out, "-tag", "x:1", "-add", bin + ":/f", "-symlink", "x:/f"}, `path added twice`},
		{"file over dir", []string{"-o", out, "-tag", "x:1", "-add", bin + ":/a/b", "-symlink", "x:/a"}, "already a parent directory"},
		{"bad cmd", []string{"-o", out, "-tag", "x:1", "-cmd", "sh"}, "want a JSON array"},
		{"bad label", []string{"-o", out, "-tag", "x:1", "-label", "novalue"}, "want K=V"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorContains(t, run(tc.args), tc.err)
		})
	}
}
