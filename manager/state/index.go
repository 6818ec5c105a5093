package state

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// indexEntry is the one row of the index table: the store's modification index.
type indexEntry struct {
	Key   string
	Value uint64
}

// storeIndexKey is the key of that row.
const storeIndexKey = "store"

func indexTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableIndex,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {
				Name:    indexID,
				Unique:  true,
				Indexer: stringIndex[indexEntry]{func(e *indexEntry) string { return e.Key }},
			},
		},
	}
}

// Index returns the store's modification index: a counter that every write transaction that
// changed something bumps by one. It starts at 0 for an empty store.
func (s *Store) Index() uint64 {
	return read(s, func(txn *memdb.Txn) uint64 { return indexTxn(txn, nil) })
}

func indexTxn(txn *memdb.Txn, ws memdb.WatchSet) uint64 {
	e := firstTxn[indexEntry](txn, ws, tableIndex, indexID, storeIndexKey)
	if e == nil {
		return 0
	}
	return e.Value
}

// bumpIndexTxn increments the modification index inside a write transaction.
func bumpIndexTxn(txn *memdb.Txn) error {
	next := &indexEntry{Key: storeIndexKey, Value: indexTxn(txn, nil) + 1}
	if err := txn.Insert(tableIndex, next); err != nil {
		return fmt.Errorf("failed to bump the store index: %w", err)
	}
	return nil
}
