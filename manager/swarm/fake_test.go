package swarm

import (
	"github.com/docker/docker/client"

	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

var (
	_ EngineAPI = (*client.Client)(nil)
	_ EngineAPI = (*swarmtest.Engine)(nil)
)

// fakeEngine is the in-memory swarm of swarmtest; the short names keep the tests readable.
type fakeEngine = swarmtest.Engine

func newFakeEngine() *fakeEngine { return swarmtest.NewEngine() }
