package hooks

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
)

// storedObjects is the persist store the manager uses, over an in-memory swarm, so that a
// test can read back every config it wrote.
type storedObjects struct {
	*persist.Store
	engine *swarmtest.Engine
}

func newStoredObjects() *storedObjects {
	engine := swarmtest.NewEngine()
	return &storedObjects{Store: persist.New(engine), engine: engine}
}

// configs returns the data of every Swarm config written, as the swarm holds it; none
// fails the test, whose checks of what is stored would then hold for nothing.
func (o *storedObjects) configs(t *testing.T) []string {
	t.Helper()
	list, err := o.engine.ConfigList(context.Background(), swarm.ConfigListOptions{})
	assert.NilError(t, err)
	var out []string
	for _, c := range list {
		out = append(out, string(c.Spec.Data))
	}
	assert.Assert(t, len(out) > 0, "nothing was stored")
	return out
}
