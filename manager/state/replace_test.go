package state

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// snapshotOf lists the store's swarm objects the way a resync would, rebuilt from Raw so
// no pointer is shared with the store.
func snapshotOf(s *Store) Snapshot {
	var snap Snapshot
	for _, n := range s.Nodes(nil) {
		snap.Nodes = append(snap.Nodes, NewNode(n.Raw))
	}
	for _, svc := range s.Services(nil) {
		snap.Services = append(snap.Services, NewService(svc.Raw))
	}
	for _, svc := range s.Services(nil) {
		for _, task := range s.TasksByService(nil, svc.ID) {
			snap.Tasks = append(snap.Tasks, NewTask(task.Raw, svc.Stack))
		}
	}
	return snap
}

func TestReplaceAllUnchangedKeepsIndex(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	assert.NilError(t, s.ReplaceAll(snapshotOf(s)))
	assert.Check(t, is.Equal(s.Index(), index))
	assert.Check(t, is.DeepEqual(s.Counts(nil), Counts{Nodes: 3, Services: 4, Tasks: 5, Stacks: 2, Envs: 2}))
}

func TestReplaceAllDeletesVanishedAndWritesChanged(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	snap := snapshotOf(s)
	snap.Nodes = snap.Nodes[1:]                 // n0 is gone
	snap.Services = snap.Services[:3]           // s4 is gone
	snap.Tasks = snap.Tasks[:len(snap.Tasks)-1] // its task t5 too
	// shop_web was removed and recreated under a new ID: same name, same stack.
	snap.Services[0] = NewService(swarmService("s1b", "shop_web", "shop", "dev", 4))
	snap.Tasks = append(snap.Tasks[2:], NewTask(swarmTask("t1b", "s1b", "n2", 1), "shop"))

	assert.NilError(t, s.ReplaceAll(snap))
	assert.Check(t, is.Equal(s.Index(), index+1), "one ReplaceAll is one transaction")
	assert.Check(t, is.DeepEqual(ids(s.Nodes(nil), nodeID), []string{"n1", "n2"}))
	assert.Check(t, is.DeepEqual(ids(s.Services(nil), serviceID), []string{"s1b", "s2", "s3"}))
	assert.Check(t, is.Equal(s.ServiceByName(nil, "shop_web").ID, "s1b"))
	assert.Check(t, is.DeepEqual(ids(s.TasksByStack(nil, "shop"), taskID), []string{"t1b", "t3"}))
	assert.Check(t, is.DeepEqual(ids(s.TasksByNode(nil, "n2"), taskID), []string{"t1b", "t4"}))
}

func TestReplaceAllEmptiesTheSwarmTables(t *testing.T) {
	s := fixture(t)
	assert.NilError(t, s.ReplaceAll(Snapshot{}))
	assert.Check(t, is.DeepEqual(s.Counts(nil), Counts{Envs: 2}))
	assert.Check(t, is.Len(s.RevisionsByStack(nil, "shop"), 3), "revisions are not swarm objects")
}

func TestReplaceTasksOfAll(t *testing.T) {
	s := fixture(t)
	index := s.Index()
	tasks := snapshotOf(s).Tasks

	assert.NilError(t, s.ReplaceTasksOfAll(tasks))
	assert.Check(t, is.Equal(s.Index(), index))

	moved := tasks[0].Raw
	moved.Version.Index++
	moved.Status.State = swarm.TaskStateShutdown
	assert.NilError(t, s.ReplaceTasksOfAll([]*Task{NewTask(moved, "shop")}))
	assert.Check(t, is.Equal(s.Index(), index+1))
	assert.Check(t, is.DeepEqual(ids(s.TasksByStack(nil, "shop"), taskID), []string{moved.ID}))
	assert.Check(t, is.Equal(s.TasksByStack(nil, "shop")[0].State, "shutdown"))
	assert.Check(t, is.Len(s.Services(nil), 4), "services are left alone")
}

func TestReplaceServiceTasksTouchesOnlyThatService(t *testing.T) {
	s := fixture(t)
	t1 := s.TaskByID(nil, "t1").Raw

	changed, err := s.ReplaceServiceTasks("s1", []*Task{NewTask(t1, "shop")})
	assert.NilError(t, err)
	assert.Check(t, changed, "t2 is gone from s1's listing")
	assert.Check(t, is.DeepEqual(ids(s.Tasks(nil), taskID), []string{"t1", "t3", "t4", "t5"}), "other services' tasks are left alone")

	index := s.Index()
	changed, err = s.ReplaceServiceTasks("s1", []*Task{NewTask(t1, "shop")})
	assert.NilError(t, err)
	assert.Check(t, !changed)
	assert.Check(t, is.Equal(s.Index(), index), "an unchanged listing does not wake readers")

	changed, err = s.ReplaceNodeTasks("n2", nil)
	assert.NilError(t, err)
	assert.Check(t, changed)
	assert.Check(t, is.DeepEqual(ids(s.Tasks(nil), taskID), []string{"t1", "t3", "t5"}), "t4 ran on n2")
}
