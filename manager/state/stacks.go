package state

import (
	"time"

	"github.com/hashicorp/go-memdb"
)

// StackSummary is one stack as `docker exos stack ls` shows it, derived from the stack's
// services and its latest revision.
type StackSummary struct {
	Name string
	// Env is the io.exos.env label of the stack's services, else the latest revision's.
	Env      string
	Services int
	// Revision is the latest EXOS revision; 0 for a stack deployed natively.
	Revision int
	// UpdatedAt is the latest of the services' update times and the revision's creation.
	UpdatedAt time.Time
	// Template is the latest revision's catalog template, nil for compose files.
	Template *TemplateRef
}

// Stacks returns every stack that has at least one service, sorted by name. A stack whose
// services were all removed is not listed, even though its revisions are kept.
func (s *Store) Stacks(ws memdb.WatchSet) []StackSummary {
	return read(s, func(txn *memdb.Txn) []StackSummary { return stacksTxn(txn, ws) })
}

func stacksTxn(txn *memdb.Txn, ws memdb.WatchSet) []StackSummary {
	// One watch on the whole revisions table instead of one per stack keeps the watch set
	// small; revisions change rarely.
	ws.Add(must(txn.Get(tableRevisions, indexID)).WatchCh())
	var out []StackSummary
	// The stack index iterates services grouped by stack, in stack-name order.
	for _, svc := range listTxn[Service](txn, ws, tableServices, indexStack) {
		if len(out) == 0 || out[len(out)-1].Name != svc.Stack {
			out = append(out, StackSummary{Name: svc.Stack})
		}
		sum := &out[len(out)-1]
		sum.Services++
		if sum.Env == "" {
			sum.Env = svc.Env
		}
		sum.UpdatedAt = later(sum.UpdatedAt, svc.Raw.UpdatedAt)
	}
	for i := range out {
		if rev := latestRevisionTxn(txn, nil, out[i].Name); rev != nil {
			out[i].Revision = rev.Number
			out[i].Template = rev.Template
			out[i].UpdatedAt = later(out[i].UpdatedAt, rev.CreatedAt)
			if out[i].Env == "" {
				out[i].Env = rev.Env
			}
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Counts are the totals the dashboard shows.
type Counts struct {
	Nodes, Services, Tasks, Stacks, Envs int
}

// Counts returns the number of nodes, services, tasks, stacks (as Stacks lists them) and
// environments.
func (s *Store) Counts(ws memdb.WatchSet) Counts {
	return read(s, func(txn *memdb.Txn) Counts {
		return Counts{
			Nodes:    countTxn(txn, ws, tableNodes),
			Services: countTxn(txn, ws, tableServices),
			Tasks:    countTxn(txn, ws, tableTasks),
			Stacks:   len(stacksTxn(txn, ws)),
			Envs:     countTxn(txn, ws, tableEnvironments),
		}
	})
}

func countTxn(txn *memdb.Txn, ws memdb.WatchSet, table string) int {
	it := must(txn.Get(table, indexID))
	ws.Add(it.WatchCh())
	n := 0
	for obj := it.Next(); obj != nil; obj = it.Next() {
		n++
	}
	return n
}
