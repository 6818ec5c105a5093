package composeext

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"gotest.tools/v3/assert"
)

// corpusDir holds the plain compose files every conversion test runs on.
const corpusDir = "../testdata/compose"

// corpusVariables are the variables the corpus files reference.
var corpusVariables = map[string]string{
	"SLEEP_SECONDS": "3600",
	"APP_ENV":       "prod",
	"REPLICAS":      "2",
	"PASSTHROUGH":   "from-variables",
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(corpusDir, "*.yml"))
	assert.NilError(t, err)
	assert.Assert(t, len(names) >= 15, "corpus has %d files", len(names))
	return names
}

// corpusInput builds the Input for one corpus file, attaching the files it references.
func corpusInput(t *testing.T, path string) Input {
	t.Helper()
	content, err := os.ReadFile(path)
	assert.NilError(t, err)
	in := Input{
		Stack:        "corpus",
		ComposeFiles: []File{{Name: filepath.Base(path), Content: content}},
		Variables:    corpusVariables,
	}
	in.Attachments, _ = attachFiles(t, filepath.Dir(path), in)
	return in
}

// attachFiles reads what the plugin attaches: the `file:` of configs and secrets and the
// services' env_file entries (also returned alone), relative to dir, keyed by the path as
// written.
func attachFiles(t *testing.T, dir string, in Input) (map[string][]byte, []string) {
	t.Helper()
	out := map[string][]byte{}
	root, err := parseNode(in.ComposeFiles[0].Content)
	assert.NilError(t, err)
	var refs []*yaml.Node
	for _, kind := range []string{"configs", "secrets"} {
		_, objs := mergedChild(root, kind)
		for _, obj := range mergedPairs(objs) {
			if _, f := mergedChild(obj.value, "file"); f != nil {
				refs = append(refs, f)
			}
		}
	}
	nFiles := len(refs)
	_, services := mergedChild(root, "services")
	for _, svc := range mergedPairs(services) {
		_, envFile := mergedChild(svc.value, "env_file")
		if envFile != nil && envFile.Kind == yaml.SequenceNode {
			refs = append(refs, envFile.Content...)
		} else if envFile != nil {
			refs = append(refs, envFile)
		}
	}
	var envFiles []string
	for i, ref := range refs {
		name, err := substitute(ref.Value, in)
		assert.NilError(t, err)
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		data, err := os.ReadFile(p)
		assert.NilError(t, err)
		out[name] = data
		if i >= nFiles {
			envFiles = append(envFiles, name)
		}
	}
	return out, envFiles
}

func stackName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// goModDir is where the Go module cache holds module mod, at the version this module uses.
func goModDir(t *testing.T, mod string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mod).Output()
	assert.NilError(t, err)
	return strings.TrimSpace(string(out))
}

func TestLoadCorpusHasNoProblems(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			_, err := Load(context.Background(), corpusInput(t, path))
			assert.NilError(t, err)
		})
	}
}
