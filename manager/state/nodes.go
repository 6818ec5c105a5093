package state

import (
	"github.com/docker/docker/api/types/swarm"
	"github.com/hashicorp/go-memdb"
)

func nodesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableNodes,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {
				Name:    indexID,
				Unique:  true,
				Indexer: stringIndex[Node]{func(n *Node) string { return n.ID }},
			},
			// Not unique: a host that left and rejoined the swarm has two nodes.
			indexHostname: {
				Name:         indexHostname,
				AllowMissing: true,
				Indexer:      stringIndex[Node]{func(n *Node) string { return n.Hostname }},
			},
		},
	}
}

func nodeKey(n *Node) []any { return []any{n.ID} }

func nodeID(n *Node) string { return n.ID }

// sameNode reports whether b is the version of the node a already holds.
func sameNode(a, b *Node) bool { return sameSwarmMeta(a.Raw.Meta, b.Raw.Meta) }

// UpsertNodes inserts or updates nodes in one transaction. Nodes identical to the stored
// version (same Swarm version and update time) are skipped.
func (s *Store) UpsertNodes(nodes ...*Node) error {
	return s.write("upsert nodes", func(txn *memdb.Txn) (bool, error) {
		return upsertAllTxn(txn, tableNodes, nodes, nodeKey, sameNode)
	})
}

// DeleteNode removes node id; removing an unknown node is not an error.
func (s *Store) DeleteNode(id string) error {
	return s.write("delete node "+id, func(txn *memdb.Txn) (bool, error) {
		return deleteTxn(txn, tableNodes, id)
	})
}

// Nodes returns every node, in ID order.
func (s *Store) Nodes(ws memdb.WatchSet) []*Node {
	return read(s, func(txn *memdb.Txn) []*Node {
		return listTxn[Node](txn, ws, tableNodes, indexID)
	})
}

// NodeByID returns node id, or nil.
func (s *Store) NodeByID(ws memdb.WatchSet, id string) *Node {
	return read(s, func(txn *memdb.Txn) *Node {
		return firstTxn[Node](txn, ws, tableNodes, indexID, id)
	})
}

// NodeByHostname returns the node with that hostname, or nil. When a host has several nodes
// (it left and rejoined the swarm), the ready one wins; otherwise the first by ID.
func (s *Store) NodeByHostname(ws memdb.WatchSet, hostname string) *Node {
	return read(s, func(txn *memdb.Txn) *Node {
		nodes := listTxn[Node](txn, ws, tableNodes, indexHostname, hostname)
		for _, n := range nodes {
			if n.State == string(swarm.NodeStateReady) {
				return n
			}
		}
		if len(nodes) == 0 {
			return nil
		}
		return nodes[0]
	})
}
