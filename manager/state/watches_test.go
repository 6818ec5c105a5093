package state

import (
	"testing"

	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
)

// watchFired reports whether a channel of ws is closed. memdb closes them inside Commit, so
// no waiting is needed.
func watchFired(ws memdb.WatchSet) bool {
	for ch := range ws {
		select {
		case <-ch:
			return true
		default:
		}
	}
	return false
}

// TestReadsWatch checks that every read adds watches that fire on a write to what it read,
// and stay quiet on a write elsewhere.
func TestReadsWatch(t *testing.T) {
	tests := []struct {
		name      string
		read      func(s *Store, ws memdb.WatchSet)
		unrelated func(s *Store) error
		related   func(s *Store) error
	}{
		{"Nodes", func(s *Store, ws memdb.WatchSet) { s.Nodes(ws) }, addEnv, func(s *Store) error { return s.DeleteNode("n0") }},
		{"NodeByID", func(s *Store, ws memdb.WatchSet) { s.NodeByID(ws, "n1") }, func(s *Store) error { return s.DeleteNode("n0") }, func(s *Store) error { return s.DeleteNode("n1") }},
		{"NodeByHostname", func(s *Store, ws memdb.WatchSet) { s.NodeByHostname(ws, "host-a") }, addHostC, func(s *Store) error { return s.DeleteNode("n0") }},
		{"Services", func(s *Store, ws memdb.WatchSet) { s.Services(ws) }, addEnv, deleteS4},
		{"ServiceByID", func(s *Store, ws memdb.WatchSet) { s.ServiceByID(ws, "s4") }, addTask, deleteS4},
		{"ServiceByName", func(s *Store, ws memdb.WatchSet) { s.ServiceByName(ws, "lonely") }, addTask, deleteS4},
		{"ServicesByStack", func(s *Store, ws memdb.WatchSet) { s.ServicesByStack(ws, "shop") }, deleteS4, func(s *Store) error { return s.DeleteService("s2") }},
		{"TasksByService", func(s *Store, ws memdb.WatchSet) { s.TasksByService(ws, "s2") }, deleteS4, addTask},
		{"TasksByStack", func(s *Store, ws memdb.WatchSet) { s.TasksByStack(ws, "shop") }, deleteS4, addTask},
		{"TasksByNode", func(s *Store, ws memdb.WatchSet) { s.TasksByNode(ws, "n2") }, deleteS4, addTask},
		{"Stacks", func(s *Store, ws memdb.WatchSet) { s.Stacks(ws) }, addTask, func(s *Store) error { return s.UpsertRevisions(revision("shop", 4, "dev")) }},
		{"Environments", func(s *Store, ws memdb.WatchSet) { s.Environments(ws) }, addTask, addEnv},
		{"EnvironmentByName", func(s *Store, ws memdb.WatchSet) { s.EnvironmentByName(ws, "qa") }, addEnv, func(s *Store) error { return s.DeleteEnvironment("qa") }},
		{"RevisionsByStack", func(s *Store, ws memdb.WatchSet) { s.RevisionsByStack(ws, "web") }, func(s *Store) error { return s.UpsertRevisions(revision("webapp", 3, "")) }, func(s *Store) error { return s.UpsertRevisions(revision("web", 2, "")) }},
		{"Revision", func(s *Store, ws memdb.WatchSet) { s.Revision(ws, "shop", 4) }, func(s *Store) error { return s.UpsertRevisions(revision("web", 2, "")) }, func(s *Store) error { return s.UpsertRevisions(revision("shop", 4, "")) }},
		{"LatestRevision", func(s *Store, ws memdb.WatchSet) { s.LatestRevision(ws, "shop") }, func(s *Store) error { return s.UpsertRevisions(revision("web", 2, "")) }, func(s *Store) error { return s.UpsertRevisions(revision("shop", 4, "")) }},
		{"Counts", func(s *Store, ws memdb.WatchSet) { s.Counts(ws) }, func(s *Store) error { return nil }, addTask},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := fixture(t)
			ws := memdb.NewWatchSet()
			tc.read(s, ws)
			assert.NilError(t, tc.unrelated(s))
			assert.Assert(t, !watchFired(ws), "an unrelated write fired the watch")
			assert.NilError(t, tc.related(s))
			assert.Assert(t, watchFired(ws), "a related write did not fire the watch")
		})
	}
}

func addEnv(s *Store) error { return s.UpsertEnvironments(&Environment{Name: "prod"}) }

func addTask(s *Store) error {
	return s.UpsertTasks(NewTask(swarmTask("t9", "s2", "n2", 2), "shop"))
}

// addHostC adds a node beside host-a. (Deleting host-b instead fires host-a's watch: the
// radix tree merges host-a's node into its parent. Watches may fire spuriously, never miss.)
func addHostC(s *Store) error {
	return s.UpsertNodes(NewNode(swarmNode("n3", "host-c", "ready", nil)))
}

func deleteS4(s *Store) error { return s.DeleteService("s4") }
