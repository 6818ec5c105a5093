package command

// shortCommitLen is how much of a catalog commit the plugin shows, as `git log --abbrev=12`.
const shortCommitLen = 12

// ShortCommit is a catalog commit as the plugin shows it: cut to 12 characters, "-"
// before the first good fetch, "embedded" (the Library) as it is.
func ShortCommit(commit string) string {
	switch {
	case commit == "":
		return "-"
	case len(commit) > shortCommitLen:
		return commit[:shortCommitLen]
	}
	return commit
}
