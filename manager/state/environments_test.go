package state

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestEnvironments(t *testing.T) {
	s := fixture(t)
	assert.Check(t, is.DeepEqual(ids(s.Environments(nil), func(e *Environment) string { return e.Name }), []string{"dev", "qa"}))

	dev := s.EnvironmentByName(nil, "dev")
	assert.Assert(t, dev != nil)
	assert.Check(t, is.Equal(dev.Description, "development"))
	assert.Check(t, is.Nil(s.EnvironmentByName(nil, "de")))

	index := s.Index()
	assert.NilError(t, s.UpsertEnvironments(&Environment{Name: "dev", Description: "development", CreatedAt: t0}))
	assert.Check(t, is.Equal(s.Index(), index), "an unchanged environment bumps the index")

	assert.NilError(t, s.UpsertEnvironments(&Environment{Name: "dev", Description: "Dev", CreatedAt: t0}))
	assert.Check(t, is.Equal(s.EnvironmentByName(nil, "dev").Description, "Dev"))

	assert.NilError(t, s.DeleteEnvironment("qa"))
	assert.NilError(t, s.DeleteEnvironment("qa"))
	assert.Check(t, is.Equal(s.Index(), index+2))
	assert.Check(t, is.Nil(s.EnvironmentByName(nil, "qa")))
}
