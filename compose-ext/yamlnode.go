package composeext

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// compose-go keeps no positions once a file is loaded, so every check that wants to name
// a line walks the file's own yaml.v3 node tree.

// parseNode parses content into its top-level mapping node. An empty document gives an
// empty mapping.
func parseNode(content []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Line: 1}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: top-level object must be a mapping", root.Line)
	}
	return root, nil
}

// pair is one key of a mapping node with its value.
type pair struct {
	key   *yaml.Node
	value *yaml.Node
}

// pairs lists the keys of a mapping node in file order (nil for any other node).
func pairs(n *yaml.Node) []pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, pair{key: n.Content[i], value: resolveAlias(n.Content[i+1])})
	}
	return out
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// child returns the value under key in a mapping node, or nil.
func child(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.key, p.value
		}
	}
	return nil, nil
}

// lineOf returns the line of the deepest node of a dotted path that exists in the tree
// (list items are addressed by index), or 0 when even the first element is missing.
func lineOf(root *yaml.Node, path string) int {
	if root == nil || path == "" {
		return 0
	}
	line, n := 0, root
	for _, part := range strings.Split(path, ".") {
		switch n.Kind {
		case yaml.MappingNode:
			k, v := child(n, part)
			if k == nil {
				return line
			}
			line, n = k.Line, v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n.Content) {
				return line
			}
			n = resolveAlias(n.Content[i])
			line = n.Line
		default:
			return line
		}
	}
	return line
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// lineInMessage returns the last "line N" of a YAML error message (the innermost position),
// or 0.
func lineInMessage(msg string) int {
	m := lineRE.FindAllStringSubmatch(msg, -1)
	if len(m) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// yamlMessage strips the "yaml: " prefix and line positions yaml.v3 puts in its errors, as
// the problem carries the line itself.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return regexp.MustCompile(`^line \d+: `).ReplaceAllString(msg, "")
}
