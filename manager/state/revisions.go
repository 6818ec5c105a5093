package state

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

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
		a.RollbackOf == b.RollbackOf && maps.Equal(a.Images, b.Images) && bytes.Equal(a.Data, b.Data) &&
		a.State == b.State && a.Failure == b.Failure && a.Reason == b.Reason && slices.Equal(a.Compensated, b.Compensated)
}

// RevisionState is the mutable part of a revision.
type RevisionState struct {
	State, Failure, Reason string
	Compensated            []string
}

// SetRevisionState changes the state of revision n of stack; a missing revision is an
// error. The stored revision is replaced by a copy: objects out of the store are read-only.
func (s *Store) SetRevisionState(stack string, n int, st RevisionState) error {
	return s.write("set the state of revision "+stack, func(txn *memdb.Txn) (bool, error) {
		old := firstTxn[Revision](txn, nil, tableRevisions, indexID, stack, n)
		if old == nil {
			return false, fmt.Errorf("stack %s has no revision %d", stack, n)
		}
		rev := *old
		rev.State, rev.Failure, rev.Reason, rev.Compensated = st.State, st.Failure, st.Reason, st.Compensated
		return upsertTxn(txn, tableRevisions, &rev, sameRevision, revisionKey(&rev)...)
	})
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
