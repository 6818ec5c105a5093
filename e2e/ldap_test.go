//go:build e2e

package e2e

import (
	"encoding/json"
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

// directoryWhoami is what `whoami --format json` says of a directory user.
type directoryWhoami struct {
	User        string
	DisplayName string
	Source      string
	Admin       bool
	Groups      []string
	Roles       []api.EnvRole
	Credential  string
}

// Directory login through the real plugin and the manager on a swarm, against a real
// slapd: set up and tested with a service account, a directory group mapped onto an EXOS
// group that is a member of an environment; wrong password and unknown user refused
// alike; a user in no mapped group sees nothing; and with the directory down, a clear
// error while the install-time token and local admins keep working. The bind password is
// in no answer and no log.
func TestLDAPLoginAndGroupMapping(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	installToken := e.saved().Token
	dir := startSlapd(t, e)
	const localAdminPass = "local-admin-Pa55-word"
	e.runWith(localAdminPass+"\n", nil, "user", "create", "keeper", "--admin", "--password-stdin").Assert(t, icmd.Success)

	e.runWith(ldapServicePass+"\n", nil, "auth", "ldap", "set", "--url", dir.url,
		"--bind-dn", ldapServiceDN, "--bind-password-stdin",
		"--user-base", ldapPeople, "--user-filter", "(&(objectClass=inetOrgPerson)(uid={username}))",
		"--group-base", ldapGroups, "--group-filter", "(&(objectClass=groupOfNames)(member={dn}))").Assert(t, icmd.Success)
	checkLDAPShow(t, e, dir)
	checkLDAPTest(t, e, nil, func(r api.LDAPTestResult) {
		assert.Check(t, is.DeepEqual(stepNames(r), []string{"connect", "service bind"}))
	})

	e.run("env", "create", "qa").Assert(t, icmd.Success)
	e.run("env", "add-node", "qa", "node1").Assert(t, icmd.Success)
	e.run("group", "create", "devs", "--directory-dn", ldapDevsDN).Assert(t, icmd.Success)
	e.run("env", "member", "add", "qa", "@devs", "--role", "member").Assert(t, icmd.Success)
	checkLDAPTest(t, e, []string{"--username", "alice", "--password-stdin"}, func(r api.LDAPTestResult) {
		assert.Check(t, is.DeepEqual(stepNames(r), []string{"connect", "service bind", "search user", "user bind", "groups"}))
		assert.Check(t, is.Equal(r.DN, ldapUserDN("alice")))
		assert.Check(t, is.Len(r.DirectoryGroups, 2), "devs and ops: %v", r.DirectoryGroups)
		assert.Check(t, is.DeepEqual(r.Groups, []string{"devs"}), "only devs is mapped")
	})

	aliceLogsInAndDeploys(t, e)
	assert.Check(t, is.Equal(e.saved().Token, installToken), "logout goes back to the install-time token")
	wrongPasswordAndUnknownUserLookAlike(t, e, installToken)
	bobSeesNothing(t, e)

	dir.stop()
	res := e.runWith(ldapAlicePass+"\n", nil, "login", "-u", "alice", "--password-stdin")
	assert.Check(t, res.ExitCode != 0, "no directory, no directory login")
	assert.Check(t, is.Contains(res.Stderr(), "the directory at "+dir.url+" does not answer"))
	assert.Check(t, !strings.Contains(res.Stderr(), "wrong user name or password"), "a directory down is no wrong password: %s", res.Stderr())
	assert.Check(t, is.Equal(e.saved().Token, installToken), "a failed login changes nothing")
	localAdminsStillWork(t, e, localAdminPass)
	noSecretInManagerLogs(t, e)
}

// checkLDAPShow checks the settings as shown: the bind DN, and of its password only that
// one is set.
func checkLDAPShow(t *testing.T, e *exos, dir *slapd) {
	t.Helper()
	res := e.run("auth", "ldap", "show", "--format", "json")
	res.Assert(t, icmd.Success)
	assert.Check(t, !strings.Contains(res.Stdout(), ldapServicePass), "the bind password is never shown")
	var shown api.LDAPSettings
	assert.NilError(t, json.Unmarshal([]byte(res.Stdout()), &shown))
	assert.Check(t, is.Equal(shown.URL, dir.url))
	assert.Check(t, is.Equal(shown.BindDN, ldapServiceDN))
	assert.Check(t, shown.BindPasswordSet)
	assert.Check(t, is.Equal(shown.GroupBase, ldapGroups))
}

// checkLDAPTest runs `auth ldap test` with args (and alice's password on stdin), which
// must pass every step, and hands its result to check.
func checkLDAPTest(t *testing.T, e *exos, args []string, check func(api.LDAPTestResult)) {
	t.Helper()
	res := e.runWith(ldapAlicePass+"\n", nil, append([]string{"auth", "ldap", "test", "--format", "json"}, args...)...)
	res.Assert(t, icmd.Success)
	var r api.LDAPTestResult
	assert.NilError(t, json.Unmarshal([]byte(res.Stdout()), &r))
	assert.Check(t, r.OK, "%+v", r)
	for _, s := range r.Steps {
		assert.Check(t, s.OK, "step %s: %s", s.Step, s.Detail)
	}
	check(r)
}

func stepNames(r api.LDAPTestResult) []string {
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Step)
	}
	return names
}

// aliceLogsInAndDeploys logs alice in with her directory password: a directory user, a
// member of qa through devs, who deploys there and is no admin. She logs out after.
func aliceLogsInAndDeploys(t *testing.T, e *exos) {
	t.Helper()
	res := e.runWith(ldapAlicePass+"\n", nil, "login", "-u", "alice", "--password-stdin")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Login Succeeded: alice"))
	who := jsonLines[directoryWhoami](t, e.run("whoami", "--format", "json").Stdout())
	assert.Check(t, is.DeepEqual(who, []directoryWhoami{{User: "alice", DisplayName: "Alice Liddell", Source: api.SourceDirectory,
		Groups: []string{"devs"}, Roles: []api.EnvRole{{Env: "qa", Role: "member"}}, Credential: api.CredentialSession}}))
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--env", "qa", "shop").Assert(t, icmd.Success)
	res = e.run("stack", "ls", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(strings.TrimSpace(res.Stdout()), "shop"))
	assert.Check(t, e.run("user", "ls").ExitCode != 0, "a member is no admin")
	e.run("logout").Assert(t, icmd.Success)
}

// wrongPasswordAndUnknownUserLookAlike: the error does not tell which names exist.
func wrongPasswordAndUnknownUserLookAlike(t *testing.T, e *exos, installToken string) {
	t.Helper()
	wrong := e.runWith("not alice's password\n", nil, "login", "-u", "alice", "--password-stdin")
	unknown := e.runWith(ldapAlicePass+"\n", nil, "login", "-u", "mallory", "--password-stdin")
	assert.Check(t, wrong.ExitCode != 0 && unknown.ExitCode != 0)
	assert.Check(t, is.Contains(wrong.Stderr(), "failed to log in as alice: wrong user name or password"))
	assert.Check(t, is.Equal(strings.ReplaceAll(unknown.Stderr(), "mallory", "alice"), wrong.Stderr()))
	assert.Check(t, is.Equal(e.saved().Token, installToken), "a failed login changes nothing")
}

// bobSeesNothing: a directory user in no mapped group logs in, with no role anywhere.
func bobSeesNothing(t *testing.T, e *exos) {
	t.Helper()
	e.runWith(ldapBobPass+"\n", nil, "login", "-u", "bob", "--password-stdin").Assert(t, icmd.Success)
	who := jsonLines[directoryWhoami](t, e.run("whoami", "--format", "json").Stdout())
	assert.Assert(t, is.Len(who, 1))
	assert.Check(t, who[0].User == "bob" && who[0].Source == api.SourceDirectory && !who[0].Admin, "%+v", who[0])
	assert.Check(t, is.Len(who[0].Groups, 0))
	assert.Check(t, is.Len(who[0].Roles, 0))
	res := e.run("stack", "ls", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(strings.TrimSpace(res.Stdout()), ""), "bob sees no stack")
	e.run("logout").Assert(t, icmd.Success)
}

// localAdminsStillWork with the directory down: the install-time token, and a local
// admin's login.
func localAdminsStillWork(t *testing.T, e *exos, localAdminPass string) {
	t.Helper()
	res := e.run("user", "ls", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.DeepEqual(strings.Fields(res.Stdout()), []string{"admin", "alice", "bob", "keeper"}))
	e.runWith(localAdminPass+"\n", nil, "login", "-u", "keeper", "--password-stdin").Assert(t, icmd.Success)
	who := jsonLines[directoryWhoami](t, e.run("whoami", "--format", "json").Stdout())
	assert.Check(t, is.Len(who, 1))
	assert.Check(t, who[0].User == "keeper" && who[0].Admin && who[0].Source == api.SourceLocal, "%+v", who)
	e.run("user", "ls", "-q").Assert(t, icmd.Success)
	e.run("logout").Assert(t, icmd.Success)
}

// noSecretInManagerLogs: the manager logged the refused logins, and no password.
func noSecretInManagerLogs(t *testing.T, e *exos) {
	t.Helper()
	var logs string
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		res := e.docker("service", "logs", "--raw", "exos_manager")
		if res.ExitCode != 0 {
			return poll.Continue("service logs: %s", res.Combined())
		}
		logs = res.Combined()
		if !strings.Contains(logs, "login refused") {
			return poll.Continue("the refused logins are not in the manager's logs yet")
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(200*time.Millisecond))
	for _, secret := range []string{ldapServicePass, ldapAlicePass, ldapBobPass, "not alice's password"} {
		assert.Check(t, !strings.Contains(logs, secret), "a password is in the manager's logs: %q", secret)
	}
}
