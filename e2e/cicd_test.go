//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

// The Dockerfiles the pipeline builds: one that serves, one whose command exits at once.
const (
	servingDockerfile = "FROM " + testbed.BusyboxImageRef + "\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/\"]\n"
	brokenDockerfile  = "FROM " + testbed.BusyboxImageRef + "\nCMD [\"false\"]\n"
)

// pipeline is a CI job's workspace and the environment it runs its steps with.
type pipeline struct {
	dir string
	env []string
}

// newPipeline is a workspace holding the manager's CA as exos-ca.pem, with the
// variables Jenkins would set from the Jenkinsfile's environment and withCredentials
// (and a plain CI from its secret store). The images are built on node 1 with the
// classic builder: BuildKit would look the FROM image up in its registry, which the
// test bed cannot reach, and this docker CLI has no buildx.
func (b *hookBed) newPipeline(t *testing.T, vars ...string) *pipeline {
	t.Helper()
	dir := t.TempDir()
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "exos-ca.pem"), []byte(b.saved().CA), 0o600))
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"DOCKER_HOST=" + b.sw.Nodes[0].Host, "DOCKER_CONFIG=" + t.TempDir(), "DOCKER_BUILDKIT=0",
		"REGISTRY=" + b.reg.Addr, "IMAGE=" + b.repo, "EXOS_HOOK_URL=" + b.hook.URL, "EXOS_CA=exos-ca.pem",
		"REGISTRY_USER=" + registrytest.User, "REGISTRY_PASSWORD=" + privatePassword, "EXOS_TOKEN=" + b.hook.Token,
	}
	return &pipeline{dir: dir, env: append(env, vars...)}
}

// run runs the steps in order with `sh -e -c`, as Jenkins runs sh steps, until one fails;
// it returns the last step's result.
func (p *pipeline) run(t *testing.T, dockerfile string, steps []string) *icmd.Result {
	t.Helper()
	assert.NilError(t, os.WriteFile(filepath.Join(p.dir, "Dockerfile"), []byte(dockerfile), 0o600))
	var res *icmd.Result
	for _, step := range steps {
		cmd := icmd.Command("sh", "-e", "-c", step)
		cmd.Dir = p.dir
		res = icmd.RunCmd(cmd, icmd.WithEnv(p.env...))
		t.Logf("step %q: exit %d\n%s", firstLine(step), res.ExitCode, res.Combined())
		if res.ExitCode != 0 {
			break
		}
	}
	return res
}

// built is the image the pipeline built and pushed, pinned as a hook pins it.
func (b *hookBed) built(t *testing.T, tag string) string {
	t.Helper()
	res := b.docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", b.repo+":"+tag)
	res.Assert(t, icmd.Success)
	_, digest, ok := strings.Cut(strings.TrimSpace(res.Stdout()), "@")
	assert.Assert(t, ok, res.Stdout())
	return b.repo + ":" + tag + "@" + digest
}

// The Jenkinsfile of docs/cicd.md, its sh steps run as written: a build deploys its
// image; a build of an image that exits is rolled back, fails the job, and the previous
// image keeps serving. Then the plain CI script of the same page deploys another build.
func TestCICDPipelinesOfTheDocs(t *testing.T) {
	doc := cicdDoc(t)
	jenkinsfiles := fencedBlocks(doc, "groovy")
	assert.Assert(t, is.Len(jenkinsfiles, 1))
	steps, err := jenkinsShSteps(jenkinsfiles[0])
	assert.NilError(t, err)
	b := startHookBed(t)

	res := b.newPipeline(t, "BUILD_NUMBER=7").run(t, servingDockerfile, steps)
	assert.Check(t, is.Equal(res.ExitCode, 0), "the good build fails:\n%s", res.Combined())
	assert.Check(t, is.Contains(res.Stdout(), "deployed: "))
	good := b.built(t, "7")
	b.runs(t, good)

	res = b.newPipeline(t, "BUILD_NUMBER=8").run(t, brokenDockerfile, steps)
	assert.Check(t, res.ExitCode != 0, "the broken build passes:\n%s", res.Combined())
	assert.Check(t, is.Contains(res.Stdout(), "deploy rolled_back"))
	b.runs(t, good)

	var plain []string
	for _, block := range fencedBlocks(doc, "sh") {
		if strings.Contains(block, "$CI_BUILD") {
			plain = append(plain, block)
		}
	}
	assert.Assert(t, is.Len(plain, 1), "the plain CI script")
	res = b.newPipeline(t, "CI_BUILD=9").run(t, servingDockerfile+"LABEL io.exos.test.ci=9\n", plain)
	assert.Check(t, is.Equal(res.ExitCode, 0), "the plain CI script fails:\n%s", res.Combined())
	b.runs(t, b.built(t, "9"))
	b.tokenNotLogged(t)
}
