//go:build e2e

package e2e

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
)

// A deploy whose Nth Engine write fails, for every N from the first write to the last (its
// own records included), leaves the swarm's services, networks, configs and secrets as
// they were before it, with only its revision recorded, as failed. The failures come from
// a real unix-socket proxy in front of a real dockerd.
func TestADeployFailingAtAnyWriteLeavesTheSwarmAsItWas(t *testing.T) {
	sw := testbed.Start(t, testbed.Options{Nodes: 1, Images: []string{testbed.BusyboxImage(t)}})
	r := newRig(t, sw)
	_, err := r.deploy(t, "shop", "../testdata/e2e/faults/v1.yml", false)
	assert.NilError(t, err)

	// Count the writes of the deploy that will fail, on a stack of its own.
	_, err = r.deploy(t, "probe", "../testdata/e2e/faults/v1.yml", false)
	assert.NilError(t, err)
	r.proxy.Reset()
	_, err = r.deploy(t, "probe", "../testdata/e2e/faults/v2.yml", true)
	assert.NilError(t, err)
	writes := 0
	for _, c := range r.proxy.Calls() {
		if c.Write {
			writes++
		}
	}
	assert.Assert(t, writes >= 8, "the deploy writes every kind of object: %v", r.proxy.Calls())
	t.Logf("the deploy makes %d writes", writes)

	for n := 1; n <= writes; n++ {
		before := swarmObjects(t, r.direct)
		r.proxy.FailWrite(n)
		_, err := r.deploy(t, "shop", "../testdata/e2e/faults/v2.yml", true)
		assert.Check(t, err != nil, "write %d", n)
		assert.Check(t, is.DeepEqual(swarmObjects(t, r.direct), before), "write %d", n)
		history, herr := r.stacks.History("shop")
		assert.NilError(t, herr)
		if n == 1 {
			assert.Check(t, is.Equal(history[0].State, api.RevisionApplied), "the record was the write that failed: no revision")
			continue
		}
		assert.Check(t, is.Equal(history[0].State, api.RevisionFailed), "write %d", n)
		assert.Check(t, is.Contains(history[0].Reason, "injected failure"), "write %d", n)
	}
	r.proxy.FailWrite(0)
	res, err := r.deploy(t, "shop", "../testdata/e2e/faults/v2.yml", true)
	assert.NilError(t, err)
	rev, err := r.stacks.Revision("shop", res.Revision)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionApplied))
}
