package state

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestTaskReads(t *testing.T) {
	s := fixture(t)
	tests := []struct {
		name string
		got  []*Task
		want []string
	}{
		{name: "by service", got: s.TasksByService(nil, "s1"), want: []string{"t1", "t2"}},
		{name: "by unknown service", got: s.TasksByService(nil, "sx"), want: []string{}},
		{name: "by stack", got: s.TasksByStack(nil, "shop"), want: []string{"t1", "t2", "t3"}},
		{name: "by native stack", got: s.TasksByStack(nil, "blog"), want: []string{"t4"}},
		{name: "by node", got: s.TasksByNode(nil, "n1"), want: []string{"t1", "t3"}},
		{name: "by node without tasks", got: s.TasksByNode(nil, "n0"), want: []string{}},
		{name: "unassigned tasks are not on a node", got: s.TasksByNode(nil, ""), want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Check(t, is.DeepEqual(ids(tc.got, taskID), tc.want))
		})
	}
}

func TestUpsertTasksComparesStatusTimestamp(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	raw := s.TasksByService(nil, "s2")[0].Raw

	assert.NilError(t, s.UpsertTasks(NewTask(raw, "shop")))
	assert.Check(t, is.Equal(s.Index(), index), "an unchanged task bumps the index")

	raw.Status.Timestamp = raw.Status.Timestamp.Add(time.Second)
	raw.Status.State = swarm.TaskStateFailed
	assert.NilError(t, s.UpsertTasks(NewTask(raw, "shop")))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.Equal(s.TasksByService(nil, "s2")[0].State, "failed"))

	older := raw
	older.Version.Index--
	older.Status.State = swarm.TaskStateRunning
	assert.NilError(t, s.UpsertTasks(NewTask(older, "shop")))
	assert.Check(t, is.Equal(s.TasksByService(nil, "s2")[0].State, "failed"), "an older version does not undo a newer one")
}

func TestDeleteTask(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	assert.NilError(t, s.DeleteTask("t1"))
	assert.NilError(t, s.DeleteTask("t1"))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.DeepEqual(ids(s.TasksByNode(nil, "n1"), taskID), []string{"t3"}))
}
