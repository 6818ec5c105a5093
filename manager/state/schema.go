package state

import (
	"encoding/binary"
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Table names.
const (
	tableIndex        = "index"
	tableNodes        = "nodes"
	tableServices     = "services"
	tableTasks        = "tasks"
	tableEnvironments = "environments"
	tableRevisions    = "revisions"
)

// Index names. Only indexes that a read queries exist: every index costs memory per object.
const (
	indexID       = "id"
	indexHostname = "hostname"
	indexName     = "name"
	indexStack    = "stack"
	indexService  = "service"
	indexNode     = "node"
)

// schema returns the static schema of the store.
func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableIndex:        indexTableSchema(),
		tableNodes:        nodesTableSchema(),
		tableServices:     servicesTableSchema(),
		tableTasks:        tasksTableSchema(),
		tableEnvironments: environmentsTableSchema(),
		tableRevisions:    revisionsTableSchema(),
	}}
}

// stringIndex indexes the string that field returns, "\x00"-terminated as memdb's own
// StringFieldIndex does, so that "web" never matches "webapp". It avoids the reflection of
// StringFieldIndex. An empty value is not indexed (AllowMissing decides if that is an error).
type stringIndex[T any] struct {
	field func(*T) string
}

func (i stringIndex[T]) FromObject(obj any) (bool, []byte, error) {
	o, ok := obj.(*T)
	if !ok {
		return false, nil, fmt.Errorf("unexpected object type %T", obj)
	}
	v := i.field(o)
	if v == "" {
		return false, nil, nil
	}
	return true, []byte(v + "\x00"), nil
}

func (i stringIndex[T]) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("must provide only a single argument")
	}
	v, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string: %#v", args[0])
	}
	return []byte(v + "\x00"), nil
}

// revisionIndex indexes revisions by (stack, number): the stack "\x00"-terminated, then the
// number big-endian so that a prefix scan on the stack iterates revisions in number order.
type revisionIndex struct{}

func (revisionIndex) FromObject(obj any) (bool, []byte, error) {
	r, ok := obj.(*Revision)
	if !ok {
		return false, nil, fmt.Errorf("unexpected object type %T", obj)
	}
	if r.Stack == "" || r.Number < 0 {
		return false, nil, nil
	}
	return true, encodeRevisionKey(r.Stack, r.Number), nil
}

func (revisionIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("must provide a stack and a number")
	}
	stack, ok := args[0].(string)
	n, ok2 := args[1].(int)
	if !ok || !ok2 || n < 0 {
		return nil, fmt.Errorf("arguments must be a string and a non-negative int: %#v", args)
	}
	return encodeRevisionKey(stack, n), nil
}

// PrefixFromArgs selects every revision of one stack.
func (revisionIndex) PrefixFromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("must provide only a stack")
	}
	stack, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string: %#v", args[0])
	}
	return []byte(stack + "\x00"), nil
}

func encodeRevisionKey(stack string, n int) []byte {
	return binary.BigEndian.AppendUint64([]byte(stack+"\x00"), uint64(n))
}
