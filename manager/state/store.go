package state

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Store is the in-memory index. It is safe for concurrent use: writes are serialised by
// memdb and reads see a consistent snapshot each.
//
// EVERY object returned by the store is shared and must be considered a constant: NEVER
// modify it in place.
type Store struct {
	db *memdb.MemDB
}

// New returns an empty store. It panics if the schema is invalid: the schema is static and
// tested to be correct (see schema_test.go).
func New() *Store {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		panic(fmt.Sprintf("state: invalid schema: %v", err))
	}
	return &Store{db: db}
}

// write runs fn in one write transaction. If fn reports a change, the store index is bumped
// and the transaction committed; otherwise it is aborted and watchers do not wake up.
func (s *Store) write(what string, fn func(txn *memdb.Txn) (bool, error)) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	changed, err := fn(txn)
	if err != nil {
		return fmt.Errorf("failed to %s: %w", what, err)
	}
	if !changed {
		return nil
	}
	if err := bumpIndexTxn(txn); err != nil {
		return fmt.Errorf("failed to %s: %w", what, err)
	}
	txn.Commit()
	return nil
}

// read runs fn in a read transaction.
func read[R any](s *Store, fn func(txn *memdb.Txn) R) R {
	txn := s.db.Txn(false)
	defer txn.Abort()
	return fn(txn)
}

// must unwraps a memdb read. Reads fail only on an unknown table or index or on arguments
// of the wrong type: all static in this package and exercised by its tests, so a failure is
// a programming error, not a condition callers could handle.
func must[T any](v T, err error) T {
	mustOK(err)
	return v
}

func mustOK(err error) {
	if err != nil {
		panic(fmt.Sprintf("state: %v", err))
	}
}
