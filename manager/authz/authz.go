// Package authz decides who may do what: roles per environment, a global admin, and the
// narrowing a token's scope adds. It is pure (no I/O, no clock): the server resolves the
// caller into a Principal and every route's rule into an Action and the environment of
// the object it names, and asks Allowed; lists ask Sees for each item.
package authz

// Role is what a user or a group may do in one environment.
type Role string

// The roles, weakest first.
const (
	RoleReadOnly Role = "read-only" // see everything in the environment
	RoleMember   Role = "member"    // and deploy, upgrade, roll back, scale; hooks, registries
	RoleOwner    Role = "owner"     // and the environment's members and settings
)

// Roles lists the roles, weakest first.
var Roles = []Role{RoleReadOnly, RoleMember, RoleOwner}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r.rank() > 0 }

func (r Role) rank() int {
	switch r {
	case RoleReadOnly:
		return 1
	case RoleMember:
		return 2
	case RoleOwner:
		return 3
	}
	return 0
}

// Action is what a request does, for the permission check.
type Action string

// The actions. Each names the least role that may do it in an environment; global
// actions are for the global admin only, self actions for any authenticated caller.
const (
	Read   Action = "read"   // read-only and up, in the object's environment
	Change Action = "change" // member and up: deploy, upgrade, rollback, scale, hooks, registries
	Manage Action = "manage" // owner: the environment's members and settings
	Admin  Action = "admin"  // the global admin: users, groups, environments, nodes, global catalogs
	Self   Action = "self"   // any authenticated caller, on itself (whoami, logout, its own tokens)
	Own    Action = "own"    // a change to what the caller owns (its tokens, its password); the global admin's on anyone's
	Public Action = "public" // anyone, unauthenticated: logging in
)

// needs is the least role an environment action takes.
func (a Action) needs() Role {
	switch a {
	case Read:
		return RoleReadOnly
	case Change:
		return RoleMember
	case Manage:
		return RoleOwner
	}
	return ""
}

// writes reports whether the action changes something: a read-only token may not.
func (a Action) writes() bool { return a != Read && a != Self && a != Public }
