package catalog

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseAnswersFile reads an answers file: a mapping of variable to answer, in JSON when
// name ends in .json, else in YAML. Values must be scalars.
func ParseAnswersFile(name string, data []byte) (map[string]any, error) {
	var m map[string]any
	var err error
	if strings.EqualFold(path.Ext(name), ".json") {
		err = json.Unmarshal(data, &m)
	} else {
		err = yaml.Unmarshal(data, &m)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read answers file %s: must be a mapping of variable: answer: %s", name, yamlError(err))
	}
	var bad []string
	for k, v := range m {
		switch v.(type) {
		case map[string]any, []any:
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, fmt.Errorf("failed to read answers file %s: answers must be scalars, not lists or mappings: %s", name, strings.Join(bad, ", "))
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// ParseSets reads --set style answers, "variable=value"; a later set overrides an
// earlier one. A malformed set is named by its position, not its text: it may be a
// password typed without its variable.
func ParseSets(sets []string) (map[string]string, error) {
	out := make(map[string]string, len(sets))
	for i, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("invalid answer #%d: want variable=value", i+1)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
