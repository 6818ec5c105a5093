package identity

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// A directory login against a real slapd: the user's search and bind, its groups mapped
// to EXOS groups and their roles; wrong passwords and unknown users refused alike; and
// with slapd gone, a clear error for directory users while local users still log in.
func TestDirectoryLoginAgainstSlapd(t *testing.T) {
	dir := startSlapd(t)
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.SetLDAPSettings(ctx, api.LDAPSettingsRequest{
		LDAPSettings: api.LDAPSettings{URL: dir.url, BindDN: slapdAdmin, UserBase: "ou=people," + slapdSuffix, GroupBase: "ou=groups," + slapdSuffix},
		BindPassword: slapdSecret,
	})
	assert.NilError(t, err)
	_, err = f.svc.CreateGroup(ctx, api.GroupCreateRequest{Name: "devs", DirectoryGroups: []string{"CN=Developers,OU=Groups," + slapdSuffix}})
	assert.NilError(t, err)
	_, err = f.svc.AddMember(ctx, "qa", "@devs", "member")
	assert.NilError(t, err)
	assert.NilError(t, f.svc.SetPassword(ctx, "admin", "local admin password"))

	alice := f.principal(f.login("alice", "alice's long password"))
	assert.Check(t, is.DeepEqual(alice, authz.Principal{Name: "alice", User: "alice", Roles: map[string]authz.Role{"qa": authz.RoleMember}}))
	u, err := f.svc.InspectUser("alice")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(u.Source, api.SourceDirectory), "created at its first login")
	assert.Check(t, is.Equal(u.DN, "uid=alice,ou=people,"+slapdSuffix))
	assert.Check(t, is.Equal(u.DisplayName, "Alice Liddell"))
	assert.Check(t, is.DeepEqual(u.Groups, []string{"devs"}))
	bob := f.principal(f.login("bob", "bob's long password"))
	assert.Check(t, is.Len(bob.Roles, 0), "ops maps to no EXOS group")

	_, wrong := f.svc.Login(ctx, api.LoginRequest{Username: "alice", Password: "not alice's password"}, "192.0.2.3:1")
	assert.Check(t, is.ErrorIs(wrong, api.ErrUnauthorized))
	_, unknown := f.svc.Login(ctx, api.LoginRequest{Username: "zoe", Password: "not anybody's password"}, "192.0.2.4:1")
	assert.Check(t, is.ErrorIs(unknown, api.ErrUnauthorized))
	assert.Check(t, is.Equal(wrong.Error(), unknown.Error()), "a wrong password and an unknown user look alike")
	_, err = f.svc.InspectUser("zoe")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "a failed login creates nobody")

	res, err := f.svc.TestLDAP(ctx, api.LDAPTestRequest{Username: "alice", Password: "alice's long password"})
	assert.NilError(t, err)
	assert.Check(t, res.OK, "%+v", res.Steps)
	assert.Check(t, is.DeepEqual(stepNames(res), []string{"connect", "service bind", "search user", "user bind", "groups"}))
	assert.Check(t, is.DeepEqual(res.DirectoryGroups, []string{"cn=developers,ou=groups,dc=example,dc=com"}))
	assert.Check(t, is.DeepEqual(res.Groups, []string{"devs"}))

	dir.stop()
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "alice", Password: "alice's long password"}, "192.0.2.5:1")
	assert.Check(t, is.ErrorIs(err, api.ErrUnavailable))
	assert.Check(t, is.ErrorContains(err, "the directory at "+dir.url+" does not answer"))
	f.login("admin", "local admin password")
	assert.Check(t, is.Equal(f.principal(f.login("admin", "local admin password")).User, "admin"), "local users log in without the directory")
	res, err = f.svc.TestLDAP(ctx, api.LDAPTestRequest{})
	assert.NilError(t, err)
	assert.Check(t, !res.OK && len(res.Steps) == 1 && !res.Steps[0].OK, "%+v", res.Steps)
}

func TestDirectoryServiceBindFailsClearly(t *testing.T) {
	dir := startSlapd(t)
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.SetLDAPSettings(ctx, api.LDAPSettingsRequest{
		LDAPSettings: api.LDAPSettings{URL: dir.url, BindDN: slapdAdmin, UserBase: "ou=people," + slapdSuffix},
		BindPassword: "not the secret",
	})
	assert.NilError(t, err)
	res, err := f.svc.TestLDAP(ctx, api.LDAPTestRequest{Username: "alice"})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(stepNames(res), []string{"connect", "service bind"}))
	assert.Check(t, !res.OK && is.Contains(res.Steps[1].Detail, "refused the bind DN")().Success())
}

func stepNames(res api.LDAPTestResult) []string {
	var out []string
	for _, s := range res.Steps {
		out = append(out, s.Step)
	}
	return out
}
