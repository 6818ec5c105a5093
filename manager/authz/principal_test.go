package authz

import (
	"fmt"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestAllowed(t *testing.T) {
	qaMember := Principal{Name: "bob", User: "bob", Roles: map[string]Role{"qa": RoleMember, "prod": RoleReadOnly}}
	qaOwner := Principal{Name: "carol", User: "carol", Roles: map[string]Role{"qa": RoleOwner}}
	admin := Principal{Name: "admin", User: "admin", Admin: true}
	readOnlyToken := Principal{Name: "bob (token ci)", User: "bob", Roles: qaMember.Roles, ReadOnly: true}
	qaToken := Principal{Name: "admin (token qa)", User: "admin", Admin: true, Env: "qa"}
	nobody := Principal{}

	for _, tc := range []struct {
		p      Principal
		action Action
		env    string
		want   bool
	}{
		{qaMember, Read, "qa", true},
		{qaMember, Change, "qa", true},
		{qaMember, Manage, "qa", false},
		{qaMember, Read, "prod", true},
		{qaMember, Change, "prod", false},
		{qaMember, Read, "dev", false},
		{qaMember, Read, "", false}, // outside every environment: admins only
		{qaMember, Admin, "", false},
		{qaMember, Self, "", true},
		{qaOwner, Manage, "qa", true},
		{qaOwner, Manage, "prod", false},
		{admin, Change, "anything", true},
		{admin, Read, "", true},
		{admin, Admin, "", true},
		{readOnlyToken, Read, "qa", true},
		{readOnlyToken, Change, "qa", false},
		{readOnlyToken, Self, "", true},
		{qaToken, Change, "qa", true},
		{qaToken, Read, "prod", false}, // the token's scope narrows the admin
		{qaToken, Admin, "", false},
		{nobody, Read, "qa", false},
		{nobody, Self, "", false},
	} {
		assert.Check(t, is.Equal(tc.p.Allowed(tc.action, tc.env), tc.want), fmt.Sprintf("%s %s in %q", tc.p.Name, tc.action, tc.env))
	}
}

func TestStrongest(t *testing.T) {
	assert.Check(t, is.Equal(Strongest(RoleReadOnly, RoleOwner), RoleOwner))
	assert.Check(t, is.Equal(Strongest(RoleMember, ""), RoleMember))
	assert.Check(t, !Role("boss").Valid())
}

func TestOwnAndPublic(t *testing.T) {
	bob := Principal{Name: "bob", User: "bob"}
	admin := Principal{Name: "admin", User: "admin", Admin: true}
	readOnly := Principal{Name: "bob (token ci)", User: "bob", ReadOnly: true}
	scoped := Principal{Name: "admin (token qa)", User: "admin", Admin: true, Env: "qa"}
	assert.Check(t, bob.Allowed(Own, "") && bob.Owns("bob") && !bob.Owns("carol"))
	assert.Check(t, admin.Owns("carol"))
	assert.Check(t, !readOnly.Allowed(Own, ""), "a read-only token changes nothing")
	assert.Check(t, readOnly.Owns("bob"), "but sees what its user owns")
	assert.Check(t, !scoped.Allowed(Own, ""), "an environment's token acts only in it")
	assert.Check(t, !scoped.Owns("carol"), "a scoped admin token is no global admin")
	assert.Check(t, !Principal{}.Owns(""), "nobody owns nothing")
	assert.Check(t, Principal{}.Allowed(Public, ""))
	assert.Check(t, !Principal{}.Allowed(Own, ""))
}
