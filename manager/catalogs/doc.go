// Package catalogs keeps the manager's catalogs: the Library, built in and indexed from the
// embedded catalog/library, and the Git catalogs users add, global or scoped to one
// environment. It serves template reads from in-memory indexes; deploying a template is
// not its business.
//
// A catalog is persisted (kind "catalog") as its name, URL, branch, environment and
// creation time only. Its content is never persisted: it is fetched again after every
// start, by Run, which refreshes every catalog once at once and then on every tick. Load
// does not fetch, so a slow or unreachable Git server never delays the manager's
// readiness; until its first good fetch a catalog lists with no commit and no templates,
// and with Error set if that fetch failed.
//
// Add fetches before it stores anything: a repository or branch that does not exist is
// refused and leaves no trace. An empty branch means the repository's default branch (its
// HEAD), which catalog.Fetch resolves.
//
// A refresh that fails keeps the last good index and sets Error; the next good one clears
// it. Indexes are immutable once built and a refresh swaps a catalog's whole entry, so
// reads never wait for a fetch.
//
// Credentials are refused for now, whether as Username/Password or inside the URL. Swarm
// secrets cannot be read back through the Engine API, so the manager could not use them
// after a restart, and the design forbids keeping them in clear in a config. Private
// catalogs need a way to hand the secret to the manager's own container first.
package catalogs
