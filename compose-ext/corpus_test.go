package composeext

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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

var fileRefRE = regexp.MustCompile(`(?m)^\s+file: (\S+)`)

// corpusInput builds the Input for one corpus file, attaching the files it references.
func corpusInput(t *testing.T, path string) Input {
	t.Helper()
	content, err := os.ReadFile(path)
	assert.NilError(t, err)
	attachments := map[string][]byte{}
	for _, m := range fileRefRE.FindAllStringSubmatch(string(content), -1) {
		data, err := os.ReadFile(filepath.Join(corpusDir, m[1]))
		assert.NilError(t, err)
		attachments[m[1]] = data
	}
	return Input{
		Stack:        "corpus",
		ComposeFiles: []File{{Name: filepath.Base(path), Content: content}},
		Variables:    corpusVariables,
		Attachments:  attachments,
	}
}

func stackName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".yml")
}

func TestLoadCorpusHasNoProblems(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			_, err := Load(context.Background(), corpusInput(t, path))
			assert.NilError(t, err)
		})
	}
}
