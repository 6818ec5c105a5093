package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/exos-platform/exos/manager/stacks"
	"github.com/spf13/pflag"
)

// revisionHistoryEnv carries --revision-history of `docker exos manager install` into the
// manager's service, beside EXOS_LISTEN.
const revisionHistoryEnv = "EXOS_REVISION_HISTORY"

func addRevisionHistoryFlag(flags *pflag.FlagSet, n *int) {
	def := stacks.DefaultKeptRevisions
	if v, ok := os.LookupEnv(revisionHistoryEnv); ok {
		// Not a number: 0, which keepRevisions refuses, naming the variable.
		def, _ = strconv.Atoi(v)
	}
	flags.IntVar(n, "revision-history", def, "Revisions of each stack stored as configs of their own; older ones are compacted into archive segments, still listed, read and rolled back to (env "+revisionHistoryEnv+")")
}

func keepRevisions(s *stacks.Service, n int) error {
	if n < 1 {
		return fmt.Errorf("--revision-history (or %s) must be a number of at least 1: a stack keeps at least its current revision", revisionHistoryEnv)
	}
	s.KeepRevisions(n)
	return nil
}
