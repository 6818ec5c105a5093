package authz

// Principal is the caller of a request, resolved from its session or token.
type Principal struct {
	// Name is who the caller is, as the audit log and revisions record it: a user name,
	// or "user (token NAME)".
	Name string
	// User is the user the caller acts for.
	User string
	// Admin is the global admin.
	Admin bool
	// Roles are the caller's roles by environment, its own and its groups', the strongest
	// kept per environment.
	Roles map[string]Role
	// Scope narrows a token: ReadOnly tokens do only reads, and a token with Env acts only
	// in that environment. A token never exceeds its user's rights.
	ReadOnly bool
	Env      string
}

// Allowed reports whether p may do action on an object in environment env ("" for an
// object outside every environment, or for a global action).
func (p Principal) Allowed(action Action, env string) bool {
	if p.ReadOnly && action.writes() {
		return false
	}
	switch action {
	case Public:
		return true
	case Self:
		return p.User != ""
	case Own:
		// A token scoped to an environment acts only there: what a user owns is not.
		return p.User != "" && p.Env == ""
	case Admin:
		return p.Admin && p.Env == ""
	}
	if p.Env != "" && env != p.Env {
		return false
	}
	if p.Admin {
		return true
	}
	return env != "" && p.Roles[env].rank() >= action.needs().rank()
}

// Owns reports whether what belongs to user is p's to see and change: its own, or anyone's
// for the global admin. Combined with Allowed(Own, "") for changes.
func (p Principal) Owns(user string) bool {
	return p.User != "" && (p.User == user || (p.Admin && p.Env == ""))
}

// Sees reports whether p may see an object in environment env at all: a list leaves out,
// and a read answers 404 for, what it does not.
func (p Principal) Sees(env string) bool { return p.Allowed(Read, env) }

// Strongest returns the stronger of two roles.
func Strongest(a, b Role) Role {
	if b.rank() > a.rank() {
		return b
	}
	return a
}
