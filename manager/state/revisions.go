package state

import (
	"bytes"
	"maps"

	"github.com/hashicorp/go-memdb"
)

// indexIDPrefix scans the revisions id index by stack alone.
const indexIDPrefix = indexID + "_prefix"

func revisionsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRevisions,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: revisionIndex{}},
		},
	}
}

func revisionKey(r *Revision) []any { return []any{r.Stack, r.Number} }

func sameRevision(a, b *Revision) bool {
	return a.Stack == b.Stack && a.Number == b.Number && a.CreatedAt.Equal(b.CreatedAt) &&
		a.Author == b.Author && a.RemoteAddr == b.RemoteAddr && a.Env == b.Env &&
		a.RollbackOf == b.RollbackOf && maps.Equal(a.Images, b.Images) && bytes.Equal(a.Data, b.Data)
}

// UpsertRevisions inserts revisions, keyed by (stack, number), in one transaction.
// Revisions are immutable: re-inserting an identical one (a rebuild) changes nothing.
func (s *Store) UpsertRevisions(revs ...*Revision) error {
	return s.write("upsert revisions", func(txn *memdb.Txn) (bool, error) {
		return upsertAllTxn(txn, tableRevisions, revs, revisionKey, sameRevision)
	})
}

// DeleteRevisions removes every revision of stack.
func (s *Store) DeleteRevisions(stack string) error {
	return s.write("delete revisions of stack "+stack, func(txn *memdb.Txn) (bool, error) {
		// Not txn.DeletePrefix: it trims the id index by the raw prefix, so "web" would
		// also remove "webapp"'s revisions.
		n, err := txn.DeleteAll(tableRevisions, indexIDPrefix, stack)
		return n > 0, err
	})
}

// RevisionsByStack returns the revisions of stack, newest first.
func (s *Store) RevisionsByStack(ws memdb.WatchSet, stack string) []*Revision {
	return read(s, func(txn *memdb.Txn) []*Revision {
		it := must(txn.GetReverse(tableRevisions, indexIDPrefix, stack))
		ws.Add(it.WatchCh())
		var out []*Revision
		for obj := it.Next(); obj != nil; obj = it.Next() {
			out = append(out, obj.(*Revision))
		}
		return out
	})
}

// Revision returns revision n of stack, or nil.
func (s *Store) Revision(ws memdb.WatchSet, stack string, n int) *Revision {
	return read(s, func(txn *memdb.Txn) *Revision {
		return firstTxn[Revision](txn, ws, tableRevisions, indexID, stack, n)
	})
}

// LatestRevision returns the highest-numbered revision of stack, or nil.
func (s *Store) LatestRevision(ws memdb.WatchSet, stack string) *Revision {
	return read(s, func(txn *memdb.Txn) *Revision { return latestRevisionTxn(txn, ws, stack) })
}

func latestRevisionTxn(txn *memdb.Txn, ws memdb.WatchSet, stack string) *Revision {
	ch, obj, err := txn.LastWatch(tableRevisions, indexIDPrefix, stack)
	mustOK(err)
	ws.Add(ch)
	if obj == nil {
		return nil
	}
	return obj.(*Revision)
}
