//go:build e2e

package e2e

import (
	"testing"

	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// The Library is embedded in the manager: it lists and inspects with no network, and a
// catalog that cannot be fetched is refused with a clear error and not stored.
func TestLibraryCatalogOnARealManager(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	res := e.run("template", "ls", "--catalog", "library", "-q")
	res.Assert(t, icmd.Success)
	for _, name := range []string{"glusterfs", "jenkins", "mariadb", "monitoring", "mysql", "postgresql", "redis", "registry"} {
		assert.Check(t, is.Contains(res.Stdout(), "library/"+name+"\n"))
	}
	res = e.run("template", "inspect", "library/mysql")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "VARIABLE"))

	res = e.run("catalog", "add", "community", "http://10.201.255.1/nope.git")
	assert.Check(t, is.Equal(res.ExitCode, 1))
	assert.Check(t, is.Contains(res.Stderr(), "community"))
	res = e.run("catalog", "ls", "-q")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), "library\n"), "a catalog that cannot be fetched is not stored")
}
