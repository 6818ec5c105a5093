//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

const registryPassword = "e2e-Registry-pa55word"

// A private registry (Debian's docker-registry with htpasswd and TLS, on the test bed's
// bridge where the manager reaches it) through the plugin: added with the password on
// stdin and its CA, listed, its login tested, browsed and removed. The password is in no
// output and no EXOS config.
func TestRegistryCommands(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	addr, ca := registrytest.StartOn(t, registryPassword, fmt.Sprintf("10.201.%d.1", e.sw.ID))
	digest := registrytest.PushRandom(t, addr, ca, registryPassword, "team/api:1.0", 2048)
	registrytest.PushRandom(t, addr, ca, registryPassword, "team/api:latest", 1024)
	registrytest.PushRandom(t, addr, ca, registryPassword, "tools:1", 1024)
	caFile := filepath.Join(t.TempDir(), "registry-ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(ca), 0o600))

	var outputs strings.Builder
	run := func(stdin string, args ...string) *icmd.Result {
		cmd := e.command(append([]string{"registry"}, args...)...)
		res := icmd.RunCmd(cmd, icmd.WithStdin(strings.NewReader(stdin)), icmd.WithTimeout(time.Minute))
		outputs.WriteString(res.Combined())
		return res
	}
	res := run(registryPassword+"\n", "add", "ci", addr, "--username", registrytest.User, "--password-stdin", "--ca-file", caFile)
	res.Assert(t, icmd.Expected{Out: "ci\n"})
	run("not-the-"+registryPassword+"\n", "add", "wrong", addr, "-u", registrytest.User, "--password-stdin", "--ca-file", caFile).Assert(t, icmd.Success)
	run("", "add", "no-ca", addr).Assert(t, icmd.Success)

	res = run("", "ls", "--format", "{{.Name}} {{.URL}} {{.Env}} {{.User}} {{.Password}} {{.TLS}}")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), fmt.Sprintf("ci %[1]s (global) ci yes own CA\nno-ca %[1]s (global) - no system CAs\nwrong %[1]s (global) ci yes own CA\n", addr)))

	run("", "login-test", "ci").Assert(t, icmd.Expected{Out: fmt.Sprintf("OK: logged in to ci (%s)\n", addr)})
	run("", "login-test", "wrong").Assert(t, icmd.Expected{ExitCode: 1, Err: `refused the credentials of user "ci": check the username and password`})
	run("", "login-test", "no-ca").Assert(t, icmd.Expected{ExitCode: 1, Err: "is not signed by a CA this registry trusts"})

	res = run("", "repos", "ci")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), "REPOSITORY\nteam/api\ntools\n"))
	res = run("", "tags", "ci/team/api", "--format", "{{.Tag}} {{.Digest}}", "--no-trunc")
	res.Assert(t, icmd.Success)
	lines := strings.Split(strings.TrimSpace(res.Stdout()), "\n")
	assert.Assert(t, is.Len(lines, 2), res.Stdout())
	assert.Check(t, is.Equal(lines[0], "1.0 "+digest.String()))
	assert.Check(t, strings.HasPrefix(lines[1], "latest sha256:"))
	res = run("", "tags", "ci/team/api", "--limit", "1", "-q")
	res.Assert(t, icmd.Expected{Err: "more tags may follow: add --after 1.0, or --all"})
	assert.Check(t, is.Equal(res.Stdout(), "1.0\n"))
	res = run("", "tags", "ci/team/api", "--after", "1.0", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), "latest\n"))
	run("", "tags", "ci/nope").Assert(t, icmd.Expected{ExitCode: 1, Err: `registry ci has no repository "nope"`})
	run("", "tags", "wrong/team/api").Assert(t, icmd.Expected{ExitCode: 1, Err: `refused the credentials of user "ci"`})

	run("", "inspect", "--format", "{{.Digest}} {{.Reference}}", "ci/team/api:1.0").
		Assert(t, icmd.Expected{Out: digest.String() + " " + addr + "/team/api:1.0\n"})
	run("", "inspect", "--format", "{{.Name}} {{.HasPassword}}", "ci").Assert(t, icmd.Expected{Out: "ci true\n"})
	run("", "inspect", "ci", "ci/team/api@"+digest.String()).Assert(t, icmd.Success)
	run("", "inspect", "ci/team/api:2.0").Assert(t, icmd.Expected{ExitCode: 1, Err: "registry ci has no image team/api:2.0"})

	assertNoRegistryPassword(t, e)
	run("", "rm", "ci", "wrong", "no-ca").Assert(t, icmd.Expected{Out: "ci\nwrong\nno-ca\n"})
	run("", "ls", "-q").Assert(t, icmd.Expected{Out: icmd.None})
	run("", "rm", "ci").Assert(t, icmd.Expected{ExitCode: 1, Err: `registry "ci" does not exist`})
	assert.Check(t, !strings.Contains(outputs.String(), registryPassword), "an output shows the password:\n%s", outputs.String())
}

// assertNoRegistryPassword checks that no Swarm config holds the password in clear: the
// registries are stored without it, sealed.
func assertNoRegistryPassword(t *testing.T, e *exos) {
	t.Helper()
	configs, err := e.engine.ConfigList(context.Background(), swarm.ConfigListOptions{})
	assert.NilError(t, err)
	registries := 0
	for _, c := range configs {
		data := configData(t, c)
		assert.Check(t, !strings.Contains(data, registryPassword), "config %s holds the password", c.Spec.Name)
		if strings.Contains(data, `"sealedPassword"`) {
			registries++
		}
	}
	assert.Check(t, is.Equal(registries, 2), "the registries with a password are stored, sealed")
}
