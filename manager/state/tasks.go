package state

import "github.com/hashicorp/go-memdb"

func tasksTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTasks,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {
				Name:    indexID,
				Unique:  true,
				Indexer: stringIndex[Task]{func(t *Task) string { return t.ID }},
			},
			indexService: {
				Name:         indexService,
				AllowMissing: true,
				Indexer:      stringIndex[Task]{func(t *Task) string { return t.ServiceID }},
			},
			indexNode: {
				Name:         indexNode,
				AllowMissing: true, // pending tasks have no node yet
				Indexer:      stringIndex[Task]{func(t *Task) string { return t.NodeID }},
			},
			indexStack: {
				Name:         indexStack,
				AllowMissing: true,
				Indexer:      stringIndex[Task]{func(t *Task) string { return t.Stack }},
			},
		},
	}
}

func taskKey(t *Task) []any { return []any{t.ID} }

func taskID(t *Task) string { return t.ID }

// sameTask reports whether b adds nothing to a: the version a already holds (task status
// updates carry their own timestamp, so it is compared too), or an older one. A listing
// taken just before one task was read again must not put the task back where it was.
func sameTask(a, b *Task) bool {
	if b.Raw.Version.Index < a.Raw.Version.Index {
		return true
	}
	return sameSwarmMeta(a.Raw.Meta, b.Raw.Meta) &&
		a.Raw.Status.Timestamp.Equal(b.Raw.Status.Timestamp) &&
		a.Stack == b.Stack
}

// UpsertTasks inserts or updates tasks in one transaction. Tasks identical to the stored
// version are skipped.
func (s *Store) UpsertTasks(tasks ...*Task) error {
	return s.write("upsert tasks", func(txn *memdb.Txn) (bool, error) {
		return upsertAllTxn(txn, tableTasks, tasks, taskKey, sameTask)
	})
}

// DeleteTask removes task id; removing an unknown task is not an error.
func (s *Store) DeleteTask(id string) error {
	return s.write("delete task "+id, func(txn *memdb.Txn) (bool, error) {
		return deleteTxn(txn, tableTasks, id)
	})
}

// TasksByService returns the tasks of service serviceID, in ID order.
func (s *Store) TasksByService(ws memdb.WatchSet, serviceID string) []*Task {
	return read(s, func(txn *memdb.Txn) []*Task {
		return listTxn[Task](txn, ws, tableTasks, indexService, serviceID)
	})
}

// TasksByStack returns the tasks of every service of stack, in ID order.
func (s *Store) TasksByStack(ws memdb.WatchSet, stack string) []*Task {
	return read(s, func(txn *memdb.Txn) []*Task {
		return listTxn[Task](txn, ws, tableTasks, indexStack, stack)
	})
}

// TasksByNode returns the tasks assigned to node nodeID, in ID order.
func (s *Store) TasksByNode(ws memdb.WatchSet, nodeID string) []*Task {
	return read(s, func(txn *memdb.Txn) []*Task {
		return listTxn[Task](txn, ws, tableTasks, indexNode, nodeID)
	})
}

// Tasks returns every task, in ID order: the dashboard sums them once per change of the
// index rather than once per request.
func (s *Store) Tasks(ws memdb.WatchSet) []*Task {
	return read(s, func(txn *memdb.Txn) []*Task {
		return listTxn[Task](txn, ws, tableTasks, indexID)
	})
}

// TaskByID returns task id, nil when it is not indexed.
func (s *Store) TaskByID(ws memdb.WatchSet, id string) *Task {
	return read(s, func(txn *memdb.Txn) *Task {
		return firstTxn[Task](txn, ws, tableTasks, indexID, id)
	})
}
