package state

import "github.com/hashicorp/go-memdb"

func servicesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableServices,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {
				Name:    indexID,
				Unique:  true,
				Indexer: stringIndex[Service]{func(s *Service) string { return s.ID }},
			},
			// Not unique although Swarm names are: during a resync or a remove-and-create
			// a name can briefly belong to two IDs, and a unique index would then corrupt.
			indexName: {
				Name:         indexName,
				AllowMissing: true,
				Indexer:      stringIndex[Service]{func(s *Service) string { return s.Name }},
			},
			indexStack: {
				Name:         indexStack,
				AllowMissing: true, // services outside any stack are not indexed here
				Indexer:      stringIndex[Service]{func(s *Service) string { return s.Stack }},
			},
		},
	}
}

func serviceKey(s *Service) []any { return []any{s.ID} }

func serviceID(s *Service) string { return s.ID }

// sameService reports whether b is the version of the service a already holds.
func sameService(a, b *Service) bool { return sameSwarmMeta(a.Raw.Meta, b.Raw.Meta) }

// UpsertServices inserts or updates services in one transaction. Services identical to the
// stored version (same Swarm version and update time) are skipped.
func (s *Store) UpsertServices(services ...*Service) error {
	return s.write("upsert services", func(txn *memdb.Txn) (bool, error) {
		return upsertAllTxn(txn, tableServices, services, serviceKey, sameService)
	})
}

// DeleteService removes service id and its tasks: Swarm removes them with the service and
// the Engine sends no event for tasks, so they would otherwise linger until the next task
// resync. Removing an unknown service is not an error.
func (s *Store) DeleteService(id string) error {
	return s.write("delete service "+id, func(txn *memdb.Txn) (bool, error) {
		deleted, err := deleteTxn(txn, tableServices, id)
		if err != nil {
			return false, err
		}
		n, err := txn.DeleteAll(tableTasks, indexService, id)
		if err != nil {
			return false, err
		}
		return deleted || n > 0, nil
	})
}

// Services returns every service, in ID order.
func (s *Store) Services(ws memdb.WatchSet) []*Service {
	return read(s, func(txn *memdb.Txn) []*Service {
		return listTxn[Service](txn, ws, tableServices, indexID)
	})
}

// ServiceByID returns service id, or nil.
func (s *Store) ServiceByID(ws memdb.WatchSet, id string) *Service {
	return read(s, func(txn *memdb.Txn) *Service {
		return firstTxn[Service](txn, ws, tableServices, indexID, id)
	})
}

// ServiceByName returns the service with that name (e.g. "shop_web"), or nil.
func (s *Store) ServiceByName(ws memdb.WatchSet, name string) *Service {
	return read(s, func(txn *memdb.Txn) *Service {
		return firstTxn[Service](txn, ws, tableServices, indexName, name)
	})
}

// ServicesByStack returns the services of stack, in ID order.
func (s *Store) ServicesByStack(ws memdb.WatchSet, stack string) []*Service {
	return read(s, func(txn *memdb.Txn) []*Service {
		return listTxn[Service](txn, ws, tableServices, indexStack, stack)
	})
}
