package state

import "github.com/hashicorp/go-memdb"

func environmentsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableEnvironments,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {
				Name:    indexID,
				Unique:  true,
				Indexer: stringIndex[Environment]{func(e *Environment) string { return e.Name }},
			},
		},
	}
}

func environmentKey(e *Environment) []any { return []any{e.Name} }

func sameEnvironment(a, b *Environment) bool {
	return a.Name == b.Name && a.Description == b.Description && a.CreatedAt.Equal(b.CreatedAt)
}

// UpsertEnvironments inserts or updates environments, keyed by name, in one transaction.
func (s *Store) UpsertEnvironments(envs ...*Environment) error {
	return s.write("upsert environments", func(txn *memdb.Txn) (bool, error) {
		return upsertAllTxn(txn, tableEnvironments, envs, environmentKey, sameEnvironment)
	})
}

// DeleteEnvironment removes environment name; removing an unknown one is not an error.
func (s *Store) DeleteEnvironment(name string) error {
	return s.write("delete environment "+name, func(txn *memdb.Txn) (bool, error) {
		return deleteTxn(txn, tableEnvironments, name)
	})
}

// Environments returns every environment, sorted by name.
func (s *Store) Environments(ws memdb.WatchSet) []*Environment {
	return read(s, func(txn *memdb.Txn) []*Environment {
		return listTxn[Environment](txn, ws, tableEnvironments, indexID)
	})
}

// EnvironmentByName returns environment name, or nil.
func (s *Store) EnvironmentByName(ws memdb.WatchSet, name string) *Environment {
	return read(s, func(txn *memdb.Txn) *Environment {
		return firstTxn[Environment](txn, ws, tableEnvironments, indexID, name)
	})
}
