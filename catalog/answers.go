package catalog

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
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

// CheckSets refuses the sets whose variable is no question but so close to one that it is
// surely a typo ("pasword" for "password"): kept as a variable of its own, as an answer
// to no question is, it would leave the question at its default, or, for a required
// password, fail with a message that hides the cause. A variable far from every
// question is kept (templates may read it as ${VAR}). Only the names are shown, never the
// values: a set may hold a password. The problems are sorted by variable.
func CheckSets(questions []Question, sets map[string]string) []composeext.Problem {
	asked := make(map[string]bool, len(questions))
	for _, q := range questions {
		asked[q.Variable] = true
	}
	var problems []composeext.Problem
	for name := range sets {
		if asked[name] {
			continue
		}
		if near := closestQuestion(name, questions); near != "" {
			problems = append(problems, composeext.Problem{Key: name, Message: fmt.Sprintf("unknown answer %q: did you mean %q?", name, near)})
		}
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
	return problems
}

// closestQuestion is the question variable nearest to name, if it is near enough to be
// what name was meant to be: at most two edits, and at most a third of the variable's
// length, so that short names ("db", "ip") do not match everything. Case is ignored.
// Ties go to the first variable in name order.
func closestQuestion(name string, questions []Question) string {
	best, bestDist := "", 0
	for _, q := range questions {
		d := editDistance(strings.ToLower(name), strings.ToLower(q.Variable))
		if d > 2 || 3*d > len(q.Variable) {
			continue
		}
		if best == "" || d < bestDist || (d == bestDist && q.Variable < best) {
			best, bestDist = q.Variable, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b: insertions,
// deletions, substitutions and swaps of adjacent characters each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// rows i-2, i-1 and i of the dynamic-programming table
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
