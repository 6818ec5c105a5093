package main

import (
	"testing"

	"github.com/spf13/pflag"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/stacks"
)

func TestRevisionHistoryComesFromTheInstallsEnvironment(t *testing.T) {
	for name, tc := range map[string]struct {
		env  string
		set  bool
		want int
	}{
		"unset":      {want: stacks.DefaultKeptRevisions},
		"set":        {env: "3", set: true, want: 3},
		"not number": {env: "many", set: true, want: 0},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.set {
				t.Setenv(revisionHistoryEnv, tc.env)
			}
			var n int
			addRevisionHistoryFlag(pflag.NewFlagSet("serve", pflag.ContinueOnError), &n)
			assert.Check(t, is.Equal(n, tc.want))
		})
	}
	assert.Check(t, is.ErrorContains(keepRevisions(nil, 0), revisionHistoryEnv))
}
