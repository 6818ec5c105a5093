package state

import "github.com/hashicorp/go-memdb"

// Snapshot is a full listing of the swarm, as read from the Engine API.
type Snapshot struct {
	Nodes    []*Node
	Services []*Service
	Tasks    []*Task
}

// ReplaceAll makes the nodes, services and tasks tables hold exactly what snap lists, in
// one transaction: objects that are gone are deleted, new or changed ones are written, and
// unchanged ones are left alone. When nothing changed the index stays where it was, so a
// periodic resync does not wake blocking queries.
func (s *Store) ReplaceAll(snap Snapshot) error {
	return s.write("replace swarm objects", func(txn *memdb.Txn) (bool, error) {
		nodes, err := replaceTxn(txn, tableNodes, snap.Nodes, nodeID, sameNode)
		if err != nil {
			return false, err
		}
		services, err := replaceTxn(txn, tableServices, snap.Services, serviceID, sameService)
		if err != nil {
			return false, err
		}
		tasks, err := replaceTxn(txn, tableTasks, snap.Tasks, taskID, sameTask)
		return nodes || services || tasks, err
	})
}

// ReplaceTasksOfAll is ReplaceAll for the tasks table alone: the Engine sends no task
// events, so tasks are resynced by listing them more often than the rest.
func (s *Store) ReplaceTasksOfAll(tasks []*Task) error {
	return s.write("replace tasks", func(txn *memdb.Txn) (bool, error) {
		return replaceTxn(txn, tableTasks, tasks, taskID, sameTask)
	})
}

// ReplaceServiceTasks makes the indexed tasks of service id exactly the listed ones, and
// reports whether anything changed: a listing filtered by service replaces only what it
// covers.
func (s *Store) ReplaceServiceTasks(id string, tasks []*Task) (bool, error) {
	return s.replaceTasksBy(indexService, id, tasks)
}

// ReplaceNodeTasks is ReplaceServiceTasks for the tasks assigned to node id.
func (s *Store) ReplaceNodeTasks(id string, tasks []*Task) (bool, error) {
	return s.replaceTasksBy(indexNode, id, tasks)
}

func (s *Store) replaceTasksBy(index, id string, tasks []*Task) (bool, error) {
	var changed bool
	err := s.write("replace tasks of "+id, func(txn *memdb.Txn) (bool, error) {
		keep := make(map[string]bool, len(tasks))
		for _, t := range tasks {
			keep[t.ID] = true
		}
		for _, old := range listTxn[Task](txn, nil, tableTasks, index, id) {
			if !keep[old.ID] {
				if err := txn.Delete(tableTasks, old); err != nil {
					return false, err
				}
				changed = true
			}
		}
		upserted, err := upsertAllTxn(txn, tableTasks, tasks, taskKey, sameTask)
		changed = changed || upserted
		return changed, err
	})
	return changed, err
}
