package state

import (
	"strconv"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func revisionName(r *Revision) string { return r.Stack + "/" + strconv.Itoa(r.Number) }

func TestRevisionReads(t *testing.T) {
	s := fixture(t)
	tests := []struct {
		name string
		got  []*Revision
		want []string
	}{
		{name: "newest first", got: s.RevisionsByStack(nil, "shop"), want: []string{"shop/3", "shop/2", "shop/1"}},
		{name: "stack name is not a prefix", got: s.RevisionsByStack(nil, "web"), want: []string{"web/1"}},
		{name: "unknown stack", got: s.RevisionsByStack(nil, "sho"), want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Check(t, is.DeepEqual(ids(tc.got, revisionName), tc.want))
		})
	}
}

func TestRevisionLookups(t *testing.T) {
	s := fixture(t)
	tests := []struct {
		name string
		got  *Revision
		want string // "" for nil
	}{
		{name: "by number", got: s.Revision(nil, "shop", 2), want: "shop/2"},
		{name: "unknown number", got: s.Revision(nil, "shop", 9)},
		{name: "latest", got: s.LatestRevision(nil, "shop"), want: "shop/3"},
		{name: "latest of a stack that prefixes another", got: s.LatestRevision(nil, "web"), want: "web/1"},
		{name: "latest of unknown stack", got: s.LatestRevision(nil, "we")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				assert.Check(t, is.Nil(tc.got))
				return
			}
			assert.Assert(t, tc.got != nil)
			assert.Check(t, is.Equal(revisionName(tc.got), tc.want))
		})
	}
}

func TestRevisionWrites(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	assert.NilError(t, s.UpsertRevisions(revision("shop", 2, "dev")))
	assert.Check(t, is.Equal(s.Index(), index), "an identical revision bumps the index")

	assert.NilError(t, s.DeleteRevisions("web"))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.Len(s.RevisionsByStack(nil, "web"), 0))
	assert.Check(t, is.DeepEqual(ids(s.RevisionsByStack(nil, "webapp"), revisionName), []string{"webapp/2", "webapp/1"}))

	assert.NilError(t, s.DeleteRevisions("web"))
	assert.Check(t, is.Equal(s.Index(), index+1), "deleting nothing bumps the index")
}

func TestUpsertRevisionsRejectsNegativeNumber(t *testing.T) {
	s := New()
	err := s.UpsertRevisions(&Revision{Stack: "shop", Number: -1})
	assert.Check(t, is.ErrorContains(err, "failed to upsert revisions"))
}

func TestRevisionStacksListsRemovedStacksToo(t *testing.T) {
	s := fixture(t)
	assert.Check(t, is.DeepEqual(s.RevisionStacks(nil), []string{"shop", "web", "webapp"}))
	assert.Check(t, is.Len(New().RevisionStacks(nil), 0))
}
