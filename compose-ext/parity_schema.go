package composeext

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/schema"
	"gopkg.in/yaml.v3"
)

// dockerSchemaJSON is docker/cli v28.5.2's cli/compose/schema/data/config_schema_v3.13.json,
// unchanged (Apache-2.0). `docker stack deploy` validates a file without `version:` (or
// with "3") against it, its latest 3.x schema; TestEmbeddedSchemaIsDockers keeps it
// byte for byte docker's.
//
//go:embed parity_schema_v3.13.json
var dockerSchemaJSON []byte

// The keys a file may have are docker's (dockerSchema). compose-go validates against the
// compose spec, which knows many more: specSchema tells a key docker refuses although
// compose knows it from a typo. Both are parsed on first use, not at start: the plugin
// starts twice for every command (Docker asks for its metadata first), and most
// commands load no compose file.
var (
	dockerSchema = sync.OnceValue(func() *jsonSchema { return mustParseSchema(dockerSchemaJSON) })
	specSchema   = sync.OnceValue(func() *jsonSchema { return mustParseSchema([]byte(schema.Schema)) })
)

// jsonSchema is just enough of a JSON schema to tell which mapping keys it allows where:
// $ref, properties, patternProperties, additionalProperties/unevaluatedProperties,
// items, oneOf/anyOf (the branch of the node's kind) and allOf (merged).
type jsonSchema struct {
	root map[string]any
	// patterns caches compiled patternProperties; loads run concurrently (two deploys,
	// a catalog's verdicts), so it is a sync.Map.
	patterns sync.Map // string -> *regexp.Regexp
}

// mustParseSchema panics on a bad schema: both are embedded and tested.
func mustParseSchema(data []byte) *jsonSchema {
	s := &jsonSchema{}
	if err := json.Unmarshal(data, &s.root); err != nil {
		panic("composeext: bad embedded schema: " + err.Error())
	}
	return s
}

// unknownKeys calls fn for every mapping key under n (a file's top-level mapping) that the
// schema does not allow, with its dotted path. Keys of name maps (services, list_or_dict
// entries) are not checked: names are not keys.
func (s *jsonSchema) unknownKeys(n *yaml.Node, fn func(path string, key *yaml.Node)) {
	s.walk(s.root, n, "", fn)
}

func (s *jsonSchema) walk(def map[string]any, n *yaml.Node, path string, fn func(string, *yaml.Node)) {
	n = resolveAlias(n)
	def = s.branch(s.resolve(def), n)
	if def == nil || n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		s.walkMapping(def, n, path, fn)
	case yaml.SequenceNode:
		items, _ := def["items"].(map[string]any)
		if items == nil {
			return
		}
		for i, c := range n.Content {
			s.walk(items, c, joinPath(path, strconv.Itoa(i)), fn)
		}
	}
}

func (s *jsonSchema) walkMapping(def map[string]any, n *yaml.Node, path string, fn func(string, *yaml.Node)) {
	obj := s.object(def)
	for _, p := range mergedPairs(n) {
		k := p.key.Value
		if sub, ok := obj.properties[k].(map[string]any); ok {
			s.walk(sub, p.value, joinPath(path, k), fn)
			continue
		}
		if sub := s.pattern(obj.patterns, k); sub != nil {
			s.walk(sub, p.value, joinPath(path, k), fn)
			continue
		}
		if obj.closed && len(obj.properties) > 0 {
			fn(joinPath(path, k), p.key)
		} else if sub, ok := obj.additional.(map[string]any); ok {
			s.walk(sub, p.value, joinPath(path, k), fn)
		}
	}
}

// objectView is an object schema with its allOf parts merged in.
type objectView struct {
	properties map[string]any
	patterns   map[string]any
	additional any
	closed     bool
}

func (s *jsonSchema) object(def map[string]any) objectView {
	v := objectView{properties: map[string]any{}, patterns: map[string]any{}}
	var merge func(d map[string]any)
	merge = func(d map[string]any) {
		d = s.resolve(d)
		for k, p := range mapOf(d["properties"]) {
			v.properties[k] = p
		}
		for k, p := range mapOf(d["patternProperties"]) {
			v.patterns[k] = p
		}
		for _, part := range listOf(d["allOf"]) {
			merge(mapOf(part))
		}
	}
	merge(def)
	v.additional = def["additionalProperties"]
	v.closed = def["additionalProperties"] == false || def["unevaluatedProperties"] == false
	return v
}

func (s *jsonSchema) pattern(patterns map[string]any, key string) map[string]any {
	for expr, sub := range patterns {
		cached, ok := s.patterns.Load(expr)
		if !ok {
			cached, _ = s.patterns.LoadOrStore(expr, regexp.MustCompile(expr))
		}
		if cached.(*regexp.Regexp).MatchString(key) {
			return mapOf(sub)
		}
	}
	return nil
}

// resolve follows $ref pointers ("#/definitions/service", "#/$defs/service").
func (s *jsonSchema) resolve(def map[string]any) map[string]any {
	for def != nil {
		ref, ok := def["$ref"].(string)
		if !ok {
			return def
		}
		var target any = s.root
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			target = mapOf(target)[part]
		}
		def = mapOf(target)
	}
	return nil
}

// branch picks, of a oneOf/anyOf, the first alternative that takes n's kind of node.
func (s *jsonSchema) branch(def map[string]any, n *yaml.Node) map[string]any {
	alts := append(listOf(def["oneOf"]), listOf(def["anyOf"])...)
	if len(alts) == 0 || n == nil {
		return def
	}
	for _, alt := range alts {
		if a := s.resolve(mapOf(alt)); s.takes(a, nodeKind(n)) {
			return s.branch(a, n)
		}
	}
	return nil
}

// takes reports whether def accepts a node of kind ("object", "array" or "scalar").
func (s *jsonSchema) takes(def map[string]any, kind string) bool {
	types := listOf(def["type"])
	if t, ok := def["type"].(string); ok {
		types = []any{t}
	}
	if len(types) == 0 {
		switch {
		case def["oneOf"] != nil || def["anyOf"] != nil:
			return s.branch(def, &yaml.Node{Kind: kindNode(kind)}) != nil
		case def["items"] != nil:
			return kind == "array"
		}
		return kind == "object"
	}
	for _, t := range types {
		switch t {
		case "object", "array":
			if t == kind {
				return true
			}
		default:
			if kind == "scalar" {
				return true
			}
		}
	}
	return false
}

func nodeKind(n *yaml.Node) string {
	switch resolveAlias(n).Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	return "scalar"
}

func kindNode(kind string) yaml.Kind {
	switch kind {
	case "object":
		return yaml.MappingNode
	case "array":
		return yaml.SequenceNode
	}
	return yaml.ScalarNode
}

func mapOf(v any) map[string]any { m, _ := v.(map[string]any); return m }

func listOf(v any) []any { l, _ := v.([]any); return l }
