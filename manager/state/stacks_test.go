package state

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestStacks(t *testing.T) {
	s := fixture(t)
	// shop's revision 3 (t0+3m) is newer than its services (t0+1s); blog has no revision;
	// web and webapp have revisions but no services, so they were removed.
	want := []StackSummary{
		{Name: "blog", Services: 1, UpdatedAt: t0.Add(time.Second)},
		{Name: "shop", Env: "dev", Services: 2, Revision: 3, UpdatedAt: t0.Add(3 * time.Minute)},
	}
	assert.Check(t, is.DeepEqual(s.Stacks(nil), want))
}

func TestStacksTakesEnvFromRevisionWhenServicesHaveNone(t *testing.T) {
	s := fixture(t)
	assert.NilError(t, s.UpsertServices(NewService(swarmService("s9", "web_api", "web", "", 1))))
	stacks := s.Stacks(nil)
	assert.Assert(t, is.Len(stacks, 3))
	assert.Check(t, is.DeepEqual(stacks[2], StackSummary{Name: "web", Env: "qa", Services: 1, Revision: 1, UpdatedAt: t0.Add(time.Minute)}))
}

func TestCounts(t *testing.T) {
	s := fixture(t)
	assert.Check(t, is.DeepEqual(s.Counts(nil), Counts{Nodes: 3, Services: 4, Tasks: 5, Stacks: 2, Envs: 2}))
	assert.Check(t, is.DeepEqual(New().Counts(nil), Counts{}))
}
