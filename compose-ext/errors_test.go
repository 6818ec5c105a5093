package composeext

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const exosDir = "../testdata/exos"

func testFile(t *testing.T, name string) File {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(exosDir, name))
	assert.NilError(t, err)
	return File{Name: name, Content: content}
}

func loadProblems(t *testing.T, in Input) []Problem {
	t.Helper()
	_, err := Load(context.Background(), in)
	var verr *ValidationError
	assert.Assert(t, errors.As(err, &verr), "got %v", err)
	return verr.Problems
}

// TestLoadBadComposeFiles checks file, line and key of each error class.
func TestLoadBadComposeFiles(t *testing.T) {
	cases := []struct {
		file string
		want Problem
	}{
		{"compose-bad-yaml.yml", Problem{File: "compose-bad-yaml.yml", Line: 3}},
		{"compose-unknown-key.yml", Problem{File: "compose-unknown-key.yml", Line: 4, Key: "services.web.replics", Message: "unknown key"}},
		{"compose-wrong-type.yml", Problem{File: "compose-wrong-type.yml", Line: 4, Key: "services.web.ports"}},
		// compose-missing-variable.yml and compose-unsupported.yml load with warnings, as
		// docker stack deploy loads them: see parity_warnings_test.go.
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			ps := loadProblems(t, Input{Stack: "bad", ComposeFiles: []File{testFile(t, tc.file)}})
			assert.Assert(t, len(ps) > 0)
			got := ps[0]
			assert.Check(t, is.Equal(got.File, tc.want.File))
			assert.Check(t, is.Equal(got.Line, tc.want.Line), "%v", got)
			assert.Check(t, is.Equal(got.Key, tc.want.Key), "%v", got)
			if tc.want.Message != "" {
				assert.Check(t, is.Equal(got.Message, tc.want.Message))
			}
		})
	}
}

func TestLoadBadExosFileReportsEveryProblem(t *testing.T) {
	in := Input{Stack: "s", ComposeFiles: []File{testFile(t, "compose-base.yml")}, ExosFile: ptr(testFile(t, "rancher-compose-bad.yml"))}
	ps := loadProblems(t, in)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	assert.DeepEqual(t, got, []string{
		"rancher-compose-bad.yml:4: services.web.scael: unknown key",
		"rancher-compose-bad.yml:5: services.web.retain_ip: not supported on Swarm: retain_ip",
		"rancher-compose-bad.yml:8: services.web.health_check.strategy: not supported on Swarm: recreateOnQuorum (use none or recreate)",
		"rancher-compose-bad.yml:10: services.web.autoscale.min: must not exceed max (5 > 2)",
		"rancher-compose-bad.yml:12: services.ghost: service not found in the compose files",
	})
}

func ptr[T any](v T) *T { return &v }
