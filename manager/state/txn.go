package state

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Generic typed helpers over a memdb transaction, shared by the per-table files. key is the
// argument list of a table's id index.

// listTxn returns every object of table matching index and args, adding the iterator's
// watch channel (one per call, however many rows) to ws.
func listTxn[T any](txn *memdb.Txn, ws memdb.WatchSet, table, index string, args ...any) []*T {
	it := must(txn.Get(table, index, args...))
	ws.Add(it.WatchCh())
	var out []*T
	for obj := it.Next(); obj != nil; obj = it.Next() {
		out = append(out, obj.(*T))
	}
	return out
}

// firstTxn returns the first object of table matching index and args, or nil.
func firstTxn[T any](txn *memdb.Txn, ws memdb.WatchSet, table, index string, args ...any) *T {
	ch, obj, err := txn.FirstWatch(table, index, args...)
	mustOK(err)
	ws.Add(ch)
	if obj == nil {
		return nil
	}
	return obj.(*T)
}

// upsertTxn inserts obj unless the stored object with the same key is the same (as same
// decides), so that resyncs of unchanged objects do not wake watchers. It reports whether
// it wrote.
func upsertTxn[T any](txn *memdb.Txn, table string, obj *T, same func(a, b *T) bool, key ...any) (bool, error) {
	old, err := txn.First(table, indexID, key...)
	if err != nil {
		return false, fmt.Errorf("failed to look up %s %v: %w", table, key, err)
	}
	if old != nil && same(old.(*T), obj) {
		return false, nil
	}
	if err := txn.Insert(table, obj); err != nil {
		return false, fmt.Errorf("failed to insert into %s %v: %w", table, key, err)
	}
	return true, nil
}

// upsertAllTxn upserts every object of objs; it reports whether any was written.
func upsertAllTxn[T any](txn *memdb.Txn, table string, objs []*T, key func(*T) []any, same func(a, b *T) bool) (bool, error) {
	changed := false
	for _, obj := range objs {
		wrote, err := upsertTxn(txn, table, obj, same, key(obj)...)
		if err != nil {
			return false, err
		}
		changed = changed || wrote
	}
	return changed, nil
}

// deleteTxn deletes the object with the given key; a missing object is not an error, since
// events can report the removal of something the index never saw.
func deleteTxn(txn *memdb.Txn, table string, key ...any) (bool, error) {
	obj, err := txn.First(table, indexID, key...)
	if err != nil {
		return false, fmt.Errorf("failed to look up %s %v: %w", table, key, err)
	}
	if obj == nil {
		return false, nil
	}
	if err := txn.Delete(table, obj); err != nil {
		return false, fmt.Errorf("failed to delete from %s %v: %w", table, key, err)
	}
	return true, nil
}

// replaceTxn makes table hold exactly objs (keyed by their string ID): it deletes what is
// not in objs first, so a name reused by a new object never meets its predecessor, then
// upserts objs, leaving unchanged ones untouched.
func replaceTxn[T any](txn *memdb.Txn, table string, objs []*T, id func(*T) string, same func(a, b *T) bool) (bool, error) {
	keep := make(map[string]struct{}, len(objs))
	for _, obj := range objs {
		keep[id(obj)] = struct{}{}
	}
	var gone []*T
	for _, old := range listTxn[T](txn, nil, table, indexID) {
		if _, ok := keep[id(old)]; !ok {
			gone = append(gone, old)
		}
	}
	for _, old := range gone {
		if err := txn.Delete(table, old); err != nil {
			return false, fmt.Errorf("failed to delete from %s %s: %w", table, id(old), err)
		}
	}
	changed, err := upsertAllTxn(txn, table, objs, func(o *T) []any { return []any{id(o)} }, same)
	return changed || len(gone) > 0, err
}
