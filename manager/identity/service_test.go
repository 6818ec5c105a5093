package identity

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

func TestTheOldAdminTokenLogsInAsTheFirstAdmin(t *testing.T) {
	f := newFixture(t)
	f.installToken("exos_old-install-token")
	f.svc = f.load() // the manager upgraded: it finds the token and no user

	p := f.principal("exos_old-install-token")
	assert.Check(t, is.DeepEqual(p, authz.Principal{Name: "admin", User: "admin", Admin: true, Roles: map[string]authz.Role{}}))
	users := f.svc.ListUsers()
	assert.Assert(t, is.Len(users, 1))
	assert.Check(t, users[0].Name == "admin" && users[0].Admin && !users[0].HasPassword)

	r := httptest.NewRequest("GET", "/api/v1/whoami", nil)
	r.Header.Set("Authorization", "Bearer exos_old-install-token")
	who, err := f.svc.Whoami(r)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(who.Credential, api.CredentialInstallToken))

	f.svc = f.load()
	assert.Check(t, is.Len(f.svc.ListUsers(), 1), "the first admin is made once")

	// A reinstall stores a new token while the manager runs: it works without a restart.
	f.installToken("exos_reinstalled")
	f.clock.advance(adminTokenReload + time.Second)
	assert.Check(t, is.Equal(f.principal("exos_reinstalled").User, "admin"))
}

func TestLoginOpensASessionThatLogoutEnds(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob", "correct horse battery")
	token := f.login("bob", "correct horse battery")
	assert.Check(t, is.Equal(f.principal(token).Name, "bob"))

	f.svc = f.load()
	assert.Check(t, is.Equal(f.principal(token).Name, "bob"), "sessions survive a manager restart")

	r := httptest.NewRequest("POST", "/api/v1/logout", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	assert.NilError(t, f.svc.Logout(r))
	_, err := f.as(token)
	assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized))
	f.svc = f.load()
	_, err = f.as(token)
	assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized), "the logout is stored")

	_, err = f.svc.Login(context.Background(), api.LoginRequest{Username: "bob", Password: "wrong one!"}, "192.0.2.1:1")
	assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized))
	_, err2 := f.svc.Login(context.Background(), api.LoginRequest{Username: "nobody", Password: "wrong one!"}, "192.0.2.1:1")
	assert.Check(t, is.Equal(err.Error(), err2.Error()), "an unknown user and a wrong password look alike")
}

func TestATokenNeverExceedsItsUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.createUser("bob", "correct horse battery")
	_, err := f.svc.CreateGroup(ctx, api.GroupCreateRequest{Name: "devs", Members: []string{"bob"}})
	assert.NilError(t, err)
	_, err = f.svc.AddMember(ctx, "qa", "@devs", "member")
	assert.NilError(t, err)
	_, err = f.svc.AddMember(ctx, "prod", "bob", "read-only")
	assert.NilError(t, err)
	bob := f.principal(f.login("bob", "correct horse battery"))

	qa, err := f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "ci", Env: "qa"})
	assert.NilError(t, err)
	ro, err := f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "dash", ReadOnly: true})
	assert.NilError(t, err)
	_, err = f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "dev", Env: "dev"})
	assert.Check(t, is.ErrorIs(err, api.ErrForbidden), "bob has no role in dev")

	p := f.principal(qa.Secret)
	assert.Check(t, is.Equal(p.Name, "bob (token ci)"))
	assert.Check(t, p.Allowed(authz.Change, "qa"))
	assert.Check(t, !p.Allowed(authz.Read, "prod"), "the token's scope narrows bob's rights")
	p = f.principal(ro.Secret)
	assert.Check(t, p.Allowed(authz.Read, "qa") && !p.Allowed(authz.Change, "qa"))

	// bob leaves the group: the token made while he was a member loses the role too.
	_, err = f.svc.RemoveGroupMember(ctx, "devs", "bob")
	assert.NilError(t, err)
	p = f.principal(qa.Secret)
	assert.Check(t, !p.Allowed(authz.Read, "qa"), "a token acts with its user's rights of the moment")
	f.svc = f.load()
	assert.Check(t, !f.principal(qa.Secret).Allowed(authz.Read, "qa"), "also after a restart")
}

func TestDeadCredentialsAllAnswerTheSame401(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, u := range []string{"bob", "carol", "dave"} {
		f.createUser(u, "correct horse battery")
	}
	bob := f.principal(f.login("bob", "correct horse battery"))
	expiring, err := f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "short", ExpiresIn: "1h"})
	assert.NilError(t, err)
	revoked, err := f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "gone"})
	assert.NilError(t, err)
	assert.NilError(t, f.svc.RevokeToken(ctx, revoked.ID))
	carol := f.principal(f.login("carol", "correct horse battery"))
	disabled, err := f.svc.CreateToken(ctx, carol, api.TokenCreateRequest{Name: "ci"})
	assert.NilError(t, err)
	_, err = f.svc.SetUserDisabled(ctx, "carol", true)
	assert.NilError(t, err)
	dave := f.principal(f.login("dave", "correct horse battery"))
	removed, err := f.svc.CreateToken(ctx, dave, api.TokenCreateRequest{Name: "ci"})
	assert.NilError(t, err)
	assert.NilError(t, f.svc.RemoveUser(ctx, "dave"))
	session := f.login("bob", "correct horse battery")
	f.clock.advance(sessionTTL + time.Minute)

	for what, token := range map[string]string{
		"expired token": expiring.Secret, "revoked token": revoked.Secret, "disabled user's token": disabled.Secret,
		"removed user's token": removed.Secret, "expired session": session, "unknown token": "exos_t_nothing", "no token": "",
	} {
		_, err := f.as(token)
		assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized), what)
		assert.Check(t, is.Error(err, errUnauthenticated.Error()), what)
	}
	_, err = f.svc.SetUserDisabled(ctx, "carol", false)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(f.principal(disabled.Secret).User, "carol"), "enabled again, its token works again")
}

func TestTheLastAdminStays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.SetUserDisabled(ctx, "admin", true)
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	assert.Check(t, is.ErrorIs(f.svc.RemoveUser(ctx, "admin"), api.ErrConflict))
	_, err = f.svc.CreateUser(ctx, api.UserCreateRequest{Name: "root", Password: "correct horse battery", Admin: true})
	assert.NilError(t, err)
	assert.NilError(t, f.svc.RemoveUser(ctx, "admin"))
}

func TestRemovingAUserTakesItsRolesAway(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.createUser("bob", "correct horse battery")
	_, err := f.svc.AddMember(ctx, "qa", "bob", "owner")
	assert.NilError(t, err)
	_, err = f.svc.CreateGroup(ctx, api.GroupCreateRequest{Name: "devs", Members: []string{"bob"}})
	assert.NilError(t, err)
	assert.NilError(t, f.svc.RemoveUser(ctx, "bob"))

	f.createUser("bob", "another long password")
	f.svc = f.load()
	u, err := f.svc.InspectUser("bob")
	assert.NilError(t, err)
	assert.Check(t, is.Len(u.Roles, 0), "a new bob inherits nothing")
	assert.Check(t, is.Len(u.Groups, 0))
	assert.Check(t, is.Len(f.svc.Members("qa"), 0))
}

func TestFirstUseIsReportedOnce(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob", "correct horse battery")
	tok, err := f.svc.CreateToken(context.Background(), f.principal(f.login("bob", "correct horse battery")), api.TokenCreateRequest{Name: "ci"})
	assert.NilError(t, err)
	var uses []string
	report := func(p authz.Principal, addr string) { uses = append(uses, p.Name+" from "+addr) }
	f.svc.FirstUse = report
	f.principal(tok.Secret)
	f.principal(tok.Secret)
	f.svc = f.load()
	f.svc.FirstUse = report
	f.principal(tok.Secret)
	assert.Check(t, is.DeepEqual(uses, []string{"bob (token ci) from 192.0.2.1:1234"}))
}

func TestDirectoryGroupsMapByDN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.CreateGroup(ctx, api.GroupCreateRequest{Name: "devs", DirectoryGroups: []string{"CN=Developers, OU=groups,dc=example,dc=com"}})
	assert.NilError(t, err)
	_, err = f.svc.AddMember(ctx, "qa", "@devs", "member")
	assert.NilError(t, err)
	u, err := f.svc.saveDirectoryUser(ctx, "alice", directoryUser{DN: "uid=alice,ou=people,dc=example,dc=com",
		Groups: []string{normalizeDN("cn=developers,ou=groups,dc=example,dc=com")}})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(u.Source, api.SourceDirectory))
	alice, err := f.svc.InspectUser("alice")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(alice.Groups, []string{"devs"}))
	assert.Check(t, is.DeepEqual(alice.Roles, []api.EnvRole{{Env: "qa", Role: "member"}}))
}
