package state

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestNodeReads(t *testing.T) {
	s := fixture(t)
	assert.Check(t, is.DeepEqual(ids(s.Nodes(nil), nodeID), []string{"n0", "n1", "n2"}))

	tests := []struct {
		name string
		got  *Node
		want string // "" for nil
	}{
		{name: "by id", got: s.NodeByID(nil, "n2"), want: "n2"},
		{name: "by unknown id", got: s.NodeByID(nil, "nx")},
		{name: "by hostname prefers ready", got: s.NodeByHostname(nil, "host-a"), want: "n1"},
		{name: "by hostname", got: s.NodeByHostname(nil, "host-b"), want: "n2"},
		{name: "by hostname prefix is no match", got: s.NodeByHostname(nil, "host")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				assert.Check(t, is.Nil(tc.got))
				return
			}
			assert.Assert(t, tc.got != nil)
			assert.Check(t, is.Equal(tc.got.ID, tc.want))
		})
	}
}

func TestNodeByHostnameFallsBackToFirst(t *testing.T) {
	s := fixture(t)
	assert.NilError(t, s.DeleteNode("n1"))
	got := s.NodeByHostname(nil, "host-a")
	assert.Assert(t, got != nil)
	assert.Check(t, is.Equal(got.ID, "n0"))
}

func TestNodeWrites(t *testing.T) {
	s := fixture(t)
	index := s.Index()

	assert.NilError(t, s.UpsertNodes(s.NodeByID(nil, "n1")))
	assert.Check(t, is.Equal(s.Index(), index), "upserting an unchanged node bumps the index")

	assert.NilError(t, s.DeleteNode("nx"))
	assert.Check(t, is.Equal(s.Index(), index), "deleting an unknown node bumps the index")

	assert.NilError(t, s.DeleteNode("n2"))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.Nil(s.NodeByID(nil, "n2")))
	assert.Check(t, is.Nil(s.NodeByHostname(nil, "host-b")))
}

func TestUpsertNodesRejectsMissingID(t *testing.T) {
	s := New()
	err := s.UpsertNodes(&Node{Hostname: "host-a"})
	assert.Check(t, is.ErrorContains(err, "failed to upsert nodes"))
	assert.Check(t, is.Equal(s.Index(), uint64(0)))
	assert.Check(t, is.Len(s.Nodes(nil), 0))
}
