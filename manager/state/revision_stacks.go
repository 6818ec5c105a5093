package state

import "github.com/hashicorp/go-memdb"

// RevisionStacks returns the names of every stack with at least one revision, removed
// stacks included, sorted. The manager walks them on start to finish interrupted work.
func (s *Store) RevisionStacks(ws memdb.WatchSet) []string {
	return read(s, func(txn *memdb.Txn) []string {
		it := must(txn.Get(tableRevisions, indexID))
		ws.Add(it.WatchCh())
		var out []string
		for obj := it.Next(); obj != nil; obj = it.Next() {
			if stack := obj.(*Revision).Stack; len(out) == 0 || out[len(out)-1] != stack {
				out = append(out, stack)
			}
		}
		return out
	})
}
