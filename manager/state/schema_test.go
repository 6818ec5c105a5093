package state

import (
	"testing"

	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestSchemaValidates(t *testing.T) {
	assert.NilError(t, schema().Validate())
	for name, table := range schema().Tables {
		assert.Check(t, is.Equal(name, table.Name))
		for indexName, index := range table.Indexes {
			assert.Check(t, is.Equal(indexName, index.Name))
		}
	}
}

// indexerCase drives one index through a write (FromObject) and a read (FromArgs), like
// consul's TestNewDBSchema_Indexers; expected values are the raw index keys.
type indexerCase struct {
	table, index string
	obj          any
	args         []any
	expected     []byte // nil: the object is not indexed
}

func TestSchemaIndexers(t *testing.T) {
	task := &Task{ID: "t1", ServiceID: "s1", NodeID: "n1", Stack: "shop"}
	svc := &Service{ID: "s1", Name: "shop_web", Stack: "shop"}
	tests := []indexerCase{
		{tableIndex, indexID, &indexEntry{Key: storeIndexKey}, []any{storeIndexKey}, []byte("store\x00")},
		{tableNodes, indexID, &Node{ID: "n1"}, []any{"n1"}, []byte("n1\x00")},
		{tableNodes, indexHostname, &Node{ID: "n1", Hostname: "host-a"}, []any{"host-a"}, []byte("host-a\x00")},
		{tableServices, indexID, svc, []any{"s1"}, []byte("s1\x00")},
		{tableServices, indexName, svc, []any{"shop_web"}, []byte("shop_web\x00")},
		{tableServices, indexStack, svc, []any{"shop"}, []byte("shop\x00")},
		{tableServices, indexStack, &Service{ID: "s2"}, nil, nil},
		{tableTasks, indexID, task, []any{"t1"}, []byte("t1\x00")},
		{tableTasks, indexService, task, []any{"s1"}, []byte("s1\x00")},
		{tableTasks, indexNode, task, []any{"n1"}, []byte("n1\x00")},
		{tableTasks, indexNode, &Task{ID: "t2"}, nil, nil},
		{tableTasks, indexStack, task, []any{"shop"}, []byte("shop\x00")},
		{tableEnvironments, indexID, &Environment{Name: "qa"}, []any{"qa"}, []byte("qa\x00")},
		{tableRevisions, indexID, &Revision{Stack: "shop", Number: 258}, []any{"shop", 258}, []byte("shop\x00\x00\x00\x00\x00\x00\x00\x01\x02")},
	}
	tables := schema().Tables
	for _, tc := range tests {
		t.Run(tc.table+"/"+tc.index, func(t *testing.T) {
			indexer := tables[tc.table].Indexes[tc.index].Indexer
			ok, val, err := indexer.(memdb.SingleIndexer).FromObject(tc.obj)
			assert.NilError(t, err)
			assert.Check(t, is.Equal(ok, tc.expected != nil))
			assert.Check(t, is.DeepEqual(val, tc.expected))
			if tc.args == nil {
				return
			}
			val, err = indexer.FromArgs(tc.args...)
			assert.NilError(t, err)
			assert.Check(t, is.DeepEqual(val, tc.expected))
		})
	}
}

func TestSchemaIndexersRejectBadInput(t *testing.T) {
	str := stringIndex[Node]{func(n *Node) string { return n.ID }}
	_, _, err := str.FromObject(&Service{})
	assert.Check(t, is.ErrorContains(err, "unexpected object type"))
	_, err = str.FromArgs(1)
	assert.Check(t, is.ErrorContains(err, "must be a string"))
	_, err = str.FromArgs("a", "b")
	assert.Check(t, is.ErrorContains(err, "single argument"))

	rev := revisionIndex{}
	_, err = rev.FromArgs("shop", "1")
	assert.Check(t, is.ErrorContains(err, "non-negative int"))
	_, err = rev.FromArgs("shop")
	assert.Check(t, is.ErrorContains(err, "a stack and a number"))
	_, err = rev.PrefixFromArgs(1)
	assert.Check(t, is.ErrorContains(err, "must be a string"))
}

func TestRevisionIndexPrefixIsTerminated(t *testing.T) {
	prefix, err := revisionIndex{}.PrefixFromArgs("web")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(prefix, []byte("web\x00")))
}

func TestNewStartsEmpty(t *testing.T) {
	s := New()
	assert.Check(t, is.Equal(s.Index(), uint64(0)))
}
