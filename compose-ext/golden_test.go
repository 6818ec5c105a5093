package composeext

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

// TestLoadCorpusGolden pins the whole converted stack (services, networks, configs,
// secrets) of every corpus file; refresh with `go test ./compose-ext -update`.
func TestLoadCorpusGolden(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(stackName(path), func(t *testing.T) {
			st, err := Load(context.Background(), corpusInput(t, path))
			assert.NilError(t, err)
			out, err := json.MarshalIndent(st, "", "  ")
			assert.NilError(t, err)
			goldenPath, err := filepath.Abs(filepath.Join(corpusDir, "golden", stackName(path)+".json"))
			assert.NilError(t, err)
			golden.Assert(t, string(out)+"\n", goldenPath)
		})
	}
}
