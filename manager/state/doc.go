// Package state is the manager's in-memory index of the swarm (nodes, services, tasks) and of
// EXOS's own objects (environments, stack revisions), kept in go-memdb.
//
// The index is rebuilt on start from the Engine API (ReplaceAll) and kept current from the
// event stream (Upsert*/Delete*) by the swarm package; API reads are served from it and never
// reach Docker. Every table has its own file holding its schema and typed functions; each
// public method opens one transaction and hands the work to a lowercase ...Txn helper so that
// calls compose inside one transaction.
//
// Objects returned by the store are shared with the store and with every other reader: treat
// them as constants and NEVER modify them in place. To change an object, build a new one and
// upsert it.
//
// Every read takes a memdb.WatchSet (nil when the caller does not watch) and adds the channels
// that fire when its answer may have changed. Index counts the write transactions that changed
// something; BlockingQuery uses both to serve long polls:
//
//	var tasks []*state.Task
//	index, err := store.BlockingQuery(ctx, minIndex, 30*time.Second, func(ws memdb.WatchSet) error {
//		tasks = store.TasksByStack(ws, "shop")
//		return nil
//	})
package state
