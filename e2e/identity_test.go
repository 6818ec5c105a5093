//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// runWith runs `docker exos ARGS` against node 1 with stdin and extra environment.
func (e *exos) runWith(stdin string, env []string, args ...string) *icmd.Result {
	cmd := icmd.Command("docker", append([]string{"exos"}, args...)...)
	return icmd.RunCmd(cmd, icmd.WithEnv(append(e.env(1), env...)...), icmd.WithStdin(strings.NewReader(stdin)))
}

type whoamiRow struct {
	User       string
	Admin      bool
	Roles      []api.EnvRole
	Credential string
	Token      string
	ReadOnly   bool
}

// A user's life through the real plugin: created by the install-time admin, logged in
// per swarm with the session saved 0600 (never the password), a member's rights in its
// environment, a read-only token that cannot deploy, and logout back to the admin token.
func TestLoginWhoamiTokenLogout(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	installToken := e.saved().Token
	const password = "alice-Pa55-word"
	e.run("env", "create", "dev").Assert(t, icmd.Success)
	e.run("env", "add-node", "dev", "node1").Assert(t, icmd.Success)
	e.runWith(password+"\n", nil, "user", "create", "alice", "--display-name", "Alice", "--password-stdin").Assert(t, icmd.Success)
	e.run("env", "member", "add", "dev", "alice", "--role", "member").Assert(t, icmd.Success)

	res := e.runWith("wrong\n", nil, "login", "-u", "alice", "--password-stdin")
	assert.Check(t, res.ExitCode != 0)
	assert.Check(t, is.Contains(res.Stderr(), "failed to log in as alice"))
	assert.Check(t, is.Equal(e.saved().Token, installToken), "a failed login changes nothing")

	res = e.runWith(password+"\n", nil, "login", "-u", "alice", "--password-stdin")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Login Succeeded: alice"))
	st, err := os.Stat(e.loginFile())
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.Mode().Perm(), os.FileMode(0o600)))
	data, err := os.ReadFile(e.loginFile())
	assert.NilError(t, err)
	assert.Check(t, !strings.Contains(string(data), password), "the password is never saved")
	session := e.saved().Token
	assert.Check(t, session != installToken && session != "")
	assert.Check(t, e.saved().CA != "", "the pinned CA stays beside the session")

	who := jsonLines[whoamiRow](t, e.run("whoami", "--format", "json").Stdout())
	assert.Check(t, is.DeepEqual(who, []whoamiRow{{User: "alice", Roles: []api.EnvRole{{Env: "dev", Role: "member"}}, Credential: api.CredentialSession}}))
	assert.Check(t, e.run("user", "ls").ExitCode != 0, "a member is no admin")
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "dev", "shop").Assert(t, icmd.Success)

	res = e.run("token", "create", "--name", "ci", "--read-only", "--expires", "1h", "--format", "{{.Secret}}")
	res.Assert(t, icmd.Success)
	secret := strings.TrimSpace(res.Stdout())
	assert.Assert(t, secret != "")
	tokenEnv := []string{"EXOS_TOKEN=" + secret}
	who = jsonLines[whoamiRow](t, e.runWith("", tokenEnv, "whoami", "--format", "json").Stdout())
	assert.Check(t, is.DeepEqual(who, []whoamiRow{{User: "alice", Roles: []api.EnvRole{{Env: "dev", Role: "member"}},
		Credential: api.CredentialToken, Token: "ci", ReadOnly: true}}))
	res = e.runWith("", tokenEnv, "stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "dev", "shop2")
	assert.Check(t, res.ExitCode != 0, "a read-only token deploys nothing")
	_, err = e.api.WithToken(secret).DeployStack(context.Background(), "shop2", api.DeployRequest{Env: "dev"})
	assert.Check(t, errors.Is(err, api.ErrForbidden), "%v", err)
	assert.Check(t, e.runWith("", tokenEnv, "stack", "ls", "-q").ExitCode == 0, "it reads")

	res = e.run("logout")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Logged out alice"))
	assert.Check(t, is.Equal(e.saved().Token, installToken), "logout goes back to the install-time admin token")
	_, err = e.api.WithToken(session).Whoami(context.Background())
	assert.Check(t, errors.Is(err, api.ErrUnauthorized), "the session ended on the manager: %v", err)
	who = jsonLines[whoamiRow](t, e.run("whoami", "--format", "json").Stdout())
	assert.Check(t, is.Len(who, 1))
	assert.Check(t, who[0].Admin && who[0].Credential == api.CredentialInstallToken, "%+v", who)

	// The token's first use is in the audit log, once, with the token's name.
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		res := e.run("audit", "ls", "--action", "token.first-use", "--format", "json")
		if res.ExitCode != 0 {
			return poll.Error(fmt.Errorf("audit ls: %s", res.Combined()))
		}
		events := jsonLines[api.AuditEvent](t, res.Stdout())
		if len(events) == 0 {
			return poll.Continue("no token.first-use event yet")
		}
		assert.Check(t, is.Len(events, 1))
		assert.Check(t, is.Equal(events[0].Actor, "alice (token ci)"))
		return poll.Success()
	}, poll.WithTimeout(30*time.Second))
}
