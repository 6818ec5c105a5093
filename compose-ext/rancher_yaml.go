package composeext

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// The Rancher reading rewrites the files' node trees into what `docker stack deploy`
// takes, then hands compose-go the trees encoded again. Every node keeps the line it had
// in the file as written (a node made up for a translation takes the line of what it
// translates), so that problems found later still point at the template's lines.

// dedupeKeys drops, in every mapping under n, each key a later one repeats, with its
// value, as yaml.v2 did when Rancher read the file (yaml.v3 and compose-go refuse them).
// Each dropped key is a warning naming both lines. Merge keys (<<) are left alone.
func dedupeKeys(file, path string, n *yaml.Node, ps *problems) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		last := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && !isMergeKey(k) {
				last[k.Value] = i
			}
		}
		kept := n.Content[:0:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if j, ok := last[k.Value]; ok && j != i && k.Kind == yaml.ScalarNode && !isMergeKey(k) {
				ps.warn(file, k.Line, joinPath(path, k.Value),
					"key given twice (lines %d and %d): the last one is used, as Rancher read the file", k.Line, n.Content[j].Line)
				continue
			}
			kept = append(kept, k, v)
			dedupeKeys(file, joinPath(path, k.Value), v, ps)
		}
		n.Content = kept
		return
	}
	for i, c := range n.Content {
		p := path
		if n.Kind == yaml.SequenceNode {
			p = joinPath(path, strconv.Itoa(i))
		}
		dedupeKeys(file, p, c, ps)
	}
}

// strNode is a string scalar at line.
func strNode(value string, line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Line: line}
}

// typedNode is a scalar of tag (!!int, !!bool...) at line.
func typedNode(tag, value string, line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Line: line}
}

func mapNode(line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
}

func seqNode(line int, items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Content: items}
}

// setKey sets key to value in mapping m, replacing the value of an existing key.
func setKey(m *yaml.Node, key string, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = value
			return
		}
	}
	m.Content = append(m.Content, strNode(key, value.Line), value)
}

// deleteKey removes key from mapping m and returns its key and value nodes (nil when m
// has no such key).
func deleteKey(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value == key {
			v := m.Content[i+1]
			m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			return k, resolveAlias(v)
		}
	}
	return nil, nil
}

// childMap returns the mapping under key in m, made (at line) when m has none. A value
// that is not a mapping is replaced.
func childMap(m *yaml.Node, key string, line int) *yaml.Node {
	if _, v := child(m, key); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	v := mapNode(line)
	setKey(m, key, v)
	return v
}

// childSeq returns the sequence under key in m, made (at line) when m has none.
func childSeq(m *yaml.Node, key string, line int) *yaml.Node {
	if _, v := child(m, key); v != nil && v.Kind == yaml.SequenceNode {
		return v
	}
	v := seqNode(line)
	setKey(m, key, v)
	return v
}

// scalarValues lists the values of a scalar or a sequence of scalars.
func scalarValues(n *yaml.Node) []*yaml.Node {
	n = resolveAlias(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null":
		return []*yaml.Node{n}
	case n.Kind == yaml.SequenceNode:
		var out []*yaml.Node
		for _, c := range n.Content {
			if c = resolveAlias(c); c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// encodeTree encodes a rewritten tree for compose-go.
func encodeTree(root *yaml.Node) ([]byte, error) {
	return yaml.Marshal(root)
}
