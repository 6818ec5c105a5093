package composeext

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Rancher read files with yaml.v2 into its own structs, which took a string where a
// boolean or a number was due; rendered .tpl output is full of them (tty: "true",
// stdin_open: "{{ .Values.x }}" quoted). docker's schema refuses them, so the Rancher
// reading gives such a scalar its type when the schema allows no string there. Values
// with a variable are left to compose-go's interpolation, which casts them itself.

// coerceTypes types the string scalars of a compose file where docker's schema wants a
// boolean or a number.
func (r *rancherReader) coerceTypes(f *rancherFile) {
	nulls := map[*yaml.Node]bool{}
	docker := dockerSchema()
	docker.scalars(docker.root, f.root, func(n *yaml.Node, types []string) {
		if n.Tag == "!!null" && !hasType(types, "null") {
			nulls[n] = true // yaml.v2 read it as the zero value: as if not set
			return
		}
		if n.Tag != "!!str" || strings.Contains(n.Value, "$") || hasType(types, "string") {
			return
		}
		v := strings.TrimSpace(n.Value)
		switch {
		case hasType(types, "boolean") && (strings.EqualFold(v, "true") || strings.EqualFold(v, "false")):
			n.Tag, n.Value, n.Style = "!!bool", strings.ToLower(v), 0
		case hasType(types, "integer") && isInt(v):
			n.Tag, n.Value, n.Style = "!!int", v, 0
		case hasType(types, "number") && isNumber(v):
			n.Tag, n.Value, n.Style = "!!float", v, 0
		}
	})
	dropNulls(f.root, nulls)
}

// dropNulls removes the mapping keys whose value is one of nulls.
func dropNulls(n *yaml.Node, nulls map[*yaml.Node]bool) {
	if len(nulls) == 0 || n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		kept := n.Content[:0:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !nulls[n.Content[i+1]] {
				kept = append(kept, n.Content[i], n.Content[i+1])
			}
		}
		n.Content = kept
	}
	for _, c := range n.Content {
		dropNulls(c, nulls)
	}
}

func hasType(types []string, t string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

func isInt(v string) bool {
	_, err := strconv.ParseInt(v, 10, 64)
	return err == nil
}

func isNumber(v string) bool {
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}

// scalars calls fn for every scalar under n that the schema describes, with the types the
// schema allows there.
func (s *jsonSchema) scalars(def map[string]any, n *yaml.Node, fn func(*yaml.Node, []string)) {
	n = resolveAlias(n)
	if n == nil {
		return
	}
	def = s.resolve(def)
	if n.Kind == yaml.ScalarNode {
		if types := s.scalarTypes(def); len(types) > 0 {
			fn(n, types)
		}
		return
	}
	def = s.branch(def, n)
	if def == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		obj := s.object(def)
		for _, p := range mergedPairs(n) {
			if sub, ok := obj.properties[p.key.Value].(map[string]any); ok {
				s.scalars(sub, p.value, fn)
			} else if sub := s.pattern(obj.patterns, p.key.Value); sub != nil {
				s.scalars(sub, p.value, fn)
			} else if sub, ok := obj.additional.(map[string]any); ok {
				s.scalars(sub, p.value, fn)
			}
		}
	case yaml.SequenceNode:
		if items, _ := def["items"].(map[string]any); items != nil {
			for _, c := range n.Content {
				s.scalars(items, c, fn)
			}
		}
	}
}

// scalarTypes lists the scalar types a definition allows, its oneOf/anyOf alternatives
// included.
func (s *jsonSchema) scalarTypes(def map[string]any) []string {
	var out []string
	switch t := def["type"].(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, x := range t {
			if str, ok := x.(string); ok {
				out = append(out, str)
			}
		}
	}
	for _, alt := range append(listOf(def["oneOf"]), listOf(def["anyOf"])...) {
		out = append(out, s.scalarTypes(s.resolve(mapOf(alt)))...)
	}
	return out
}
