//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// cicdDoc is docs/cicd.md, whose pipelines the CI/CD test runs as they are written.
func cicdDoc(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "docs", "cicd.md"))
	assert.NilError(t, err)
	return string(data)
}

// fencedBlocks returns the bodies of the doc's ``` blocks of one language, in order.
func fencedBlocks(doc, lang string) []string {
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(line) == "```"+lang:
			cur = &strings.Builder{}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return blocks
}

// shStep matches a Jenkinsfile `sh` step: a quoted script on one line, or a triple-quoted one over several.
var shStep = regexp.MustCompile(`(?s)\bsh\s+(?:'''(.*?)'''|'([^'\n]*)')`)

// jenkinsShSteps returns the scripts of a Jenkinsfile's `sh` steps, in order. Groovy turns
// backslash escapes in single-quoted strings into other characters; a step with one is
// refused rather than run differently from how Jenkins would.
func jenkinsShSteps(jenkinsfile string) ([]string, error) {
	var steps []string
	for _, m := range shStep.FindAllStringSubmatch(jenkinsfile, -1) {
		script := m[1] + m[2]
		if strings.Contains(script, `\`) {
			return nil, fmt.Errorf("sh step %q has a backslash, which Groovy would unescape: write it without one", firstLine(script))
		}
		steps = append(steps, script)
	}
	if len(steps) == 0 {
		return nil, errors.New("the Jenkinsfile has no sh step")
	}
	return steps, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func TestJenkinsShStepsAreTakenAsWritten(t *testing.T) {
	steps, err := jenkinsShSteps(`stage('a') { steps { sh 'echo "$A"' } }
withCredentials([x]) {
  sh '''
    one
    two 'quoted'
  '''
  sh 'three'
}`)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(steps, []string{`echo "$A"`, "\n    one\n    two 'quoted'\n  ", "three"}))
	_, err = jenkinsShSteps(`sh 'printf "a\n"'`)
	assert.Check(t, is.ErrorContains(err, "backslash"))
	_, err = jenkinsShSteps(`echo 'x'`)
	assert.Check(t, is.ErrorContains(err, "no sh step"))
}

func TestTheDocsHaveTheBlocksTheTestRuns(t *testing.T) {
	doc := cicdDoc(t)
	jenkinsfiles := fencedBlocks(doc, "groovy")
	assert.Assert(t, is.Len(jenkinsfiles, 1))
	steps, err := jenkinsShSteps(jenkinsfiles[0])
	assert.NilError(t, err)
	assert.Check(t, is.Len(steps, 5), "build, login, push, trigger, poll")
	assert.Check(t, len(fencedBlocks(doc, "yaml")) == 1, "one registry notifications block")
}
