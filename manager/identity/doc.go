// Package identity knows who calls the manager: users (a password hash, or a directory
// identity), groups (local members, or directory groups mapped by DN), role bindings per
// environment, login sessions and API tokens, and the install-time admin token of older
// installations, which is the first admin user's.
//
// Everything is persisted as Swarm configs through persist (kinds user, group, token,
// session, binding, ldap-settings): password hashes (argon2id) and token hashes (SHA-256)
// only, and the directory's bind password sealed under the catalog key (package seal). The
// manager keeps it all in memory, in maps behind one RWMutex, with each user's roles
// worked out when something changes, so Authenticate is a hash, a map lookup and a copy:
// the authentication of a request costs no allocation beyond the Principal.
//
// Service implements server.Authenticator. Every way a token can fail (unknown, expired,
// revoked, its user disabled or removed) answers the same 401.
package identity
