package fastpath

import (
	"strings"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/listing"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestParseArgsServesWhatItKnowsWhole(t *testing.T) {
	served := map[string]command{
		"exos stack ls":                          {},
		"exos stack list -a":                     {all: true},
		"exos stack ls -qa --format json":        {all: true, options: listing.Options{Quiet: true, Format: "json"}},
		"exos stack ls --all --quiet":            {all: true, options: listing.Options{Quiet: true}},
		"exos stack ls --format={{.Name}}":       {options: listing.Options{Format: "{{.Name}}"}},
		"exos stack ls --format a --format b":    {options: listing.Options{Format: "b"}},
		"exos stack ls --format -x":              {options: listing.Options{Format: "-x"}},
		"exos stack containers web":              {containers: true, stack: "web"},
		"exos stack ps --no-trunc web -q":        {containers: true, stack: "web", options: listing.Options{NoTrunc: true, Quiet: true}},
		"exos stack containers --format json db": {containers: true, stack: "db", options: listing.Options{Format: "json"}},
	}
	for line, want := range served {
		got, ok := parseArgs(strings.Fields(line))
		assert.Check(t, ok, line)
		assert.Check(t, is.Equal(got, want), line)
	}
	for _, line := range []string{
		"", "exos", "exos stack", "stack ls", "exos stack deploy web", "exos stack inspect web",
		"--context prod exos stack ls", "-H tcp://x:2376 exos stack ls", "exos --manager https://m stack ls",
		"exos stack ls --manager https://m", "exos stack ls --help", "exos stack ls -h", "exos stack ls web",
		"exos stack ls --no-trunc", "exos stack containers -a web", "exos stack containers", "exos stack containers a b",
		"exos stack ls --format", "exos stack ls -- web", "exos stack containers - ", "exos stack ls -q=true",
		"exos stack ls --quiet=false", "exos stack containers --all web", "exos stack ls -qx",
	} {
		_, ok := parseArgs(strings.Fields(line))
		assert.Check(t, !ok, "%q is left to the full CLI", line)
	}
}
