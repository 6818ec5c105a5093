package state

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestServiceReads(t *testing.T) {
	s := fixture(t)
	tests := []struct {
		name string
		got  []*Service
		want []string
	}{
		{name: "all", got: s.Services(nil), want: []string{"s1", "s2", "s3", "s4"}},
		{name: "by stack", got: s.ServicesByStack(nil, "shop"), want: []string{"s1", "s2"}},
		{name: "by native stack", got: s.ServicesByStack(nil, "blog"), want: []string{"s3"}},
		{name: "by stack prefix is no match", got: s.ServicesByStack(nil, "sho"), want: []string{}},
		{name: "by empty stack", got: s.ServicesByStack(nil, ""), want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Check(t, is.DeepEqual(ids(tc.got, serviceID), tc.want))
		})
	}
}

func TestServiceLookups(t *testing.T) {
	s := fixture(t)
	byID := s.ServiceByID(nil, "s1")
	assert.Assert(t, byID != nil)
	assert.Check(t, is.Equal(byID.Name, "shop_web"))
	assert.Check(t, is.Equal(byID.Revision, 3))

	byName := s.ServiceByName(nil, "blog_web")
	assert.Assert(t, byName != nil)
	assert.Check(t, is.Equal(byName.ID, "s3"))

	assert.Check(t, is.Nil(s.ServiceByID(nil, "sx")))
	assert.Check(t, is.Nil(s.ServiceByName(nil, "shop")))
}

func TestUpsertServicesSkipsUnchanged(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	raw := s.ServiceByID(nil, "s1").Raw
	assert.NilError(t, s.UpsertServices(NewService(raw)))
	assert.Check(t, is.Equal(s.Index(), index))

	raw.Version.Index++
	raw.Spec.Labels = map[string]string{labelStack: "blog"}
	assert.NilError(t, s.UpsertServices(NewService(raw)))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.DeepEqual(ids(s.ServicesByStack(nil, "blog"), serviceID), []string{"s1", "s3"}))
	assert.Check(t, is.DeepEqual(ids(s.ServicesByStack(nil, "shop"), serviceID), []string{"s2"}))
}

func TestDeleteServiceRemovesItsTasks(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	assert.NilError(t, s.DeleteService("s1"))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.Nil(s.ServiceByID(nil, "s1")))
	assert.Check(t, is.Len(s.TasksByService(nil, "s1"), 0))
	assert.Check(t, is.DeepEqual(ids(s.TasksByStack(nil, "shop"), taskID), []string{"t3"}))

	assert.NilError(t, s.DeleteService("s1"))
	assert.Check(t, is.Equal(s.Index(), index+1), "deleting an unknown service bumps the index")
}
