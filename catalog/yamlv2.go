package catalog

import (
	"gopkg.in/yaml.v3"
)

// Rancher read catalogs with yaml.v2, which takes the last of keys given twice in a
// mapping; yaml.v3 refuses them. Community templates have such keys (a config.yml with
// two descriptions, a question with two defaults), so catalog metadata is read the
// yaml.v2 way: parsed to a node tree, which yaml.v3 accepts, then the earlier
// duplicates dropped before decoding.

// parseLastWins parses a YAML document; of keys given twice, the last wins. An empty
// document gives an empty node (no Content).
func parseLastWins(data []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	lastWins(&root)
	return &root, nil
}

// decodeLastWins decodes data into out, the last of duplicate keys winning.
func decodeLastWins(data []byte, out any) error {
	root, err := parseLastWins(data)
	if err != nil || len(root.Content) == 0 {
		return err
	}
	return root.Decode(out)
}

// lastWins drops, in every mapping under n, each key that a later key repeats, with its
// value. Merge keys (<<) are left to yaml.v3.
func lastWins(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		last := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value != "<<" {
				last[k.Value] = i
			}
		}
		if len(last) < len(n.Content)/2 {
			kept := n.Content[:0]
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.Value == "<<" || last[k.Value] == i {
					kept = append(kept, k, n.Content[i+1])
				}
			}
			n.Content = kept
		}
	}
	for _, c := range n.Content {
		lastWins(c)
	}
}
