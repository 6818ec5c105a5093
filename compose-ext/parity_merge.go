package composeext

import "gopkg.in/yaml.v3"

// mergedPairs lists the keys of a mapping node like pairs, with YAML merge keys
// (`<<: *defaults`, `<<: [*a, *b]`) replaced by the keys they merge in, as the loaders see
// them: real-world files share logging or deploy blocks this way. A key set in the mapping
// itself wins over a merged one, and an earlier merged mapping over a later one.
func mergedPairs(n *yaml.Node) []pair {
	var own, merged []pair
	for _, p := range pairs(n) {
		if !isMergeKey(p.key) {
			own = append(own, p)
			continue
		}
		for _, src := range mergeSources(p.value) {
			merged = append(merged, mergedPairs(src)...)
		}
	}
	seen := make(map[string]bool, len(own)+len(merged))
	out := make([]pair, 0, len(own)+len(merged))
	for _, p := range append(own, merged...) {
		if !seen[p.key.Value] {
			seen[p.key.Value] = true
			out = append(out, p)
		}
	}
	return out
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "")
}

// mergeSources returns the mappings a merge key's value names.
func mergeSources(v *yaml.Node) []*yaml.Node {
	v = resolveAlias(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		var out []*yaml.Node
		for _, c := range v.Content {
			out = append(out, mergeSources(c)...)
		}
		return out
	}
	if v.Kind == yaml.MappingNode {
		return []*yaml.Node{v}
	}
	return nil
}

// mergedChild is child for a mapping that may use merge keys.
func mergedChild(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	for _, p := range mergedPairs(n) {
		if p.key.Value == key {
			return p.key, p.value
		}
	}
	return nil, nil
}
