package composeext

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	"gopkg.in/yaml.v3"
)

// unsetVariableWarning is compose-go's own warning (template.go) for an unset variable
// with no default: docker stack deploy and compose-go then put a blank string there.
const unsetVariableWarning = "The %q variable is not set. Defaulting to a blank string."

// withheldVariableError is what substitution returns for a withheld variable (see
// Input.Withheld), even where the expression has a default: the default is not the value
// the stack was deployed with.
type withheldVariableError struct{ name string }

func (e *withheldVariableError) Error() string {
	return fmt.Sprintf("variable %q holds a password that EXOS does not keep: give its value again", e.name)
}

// substitute interpolates one value like compose-go does (an unset variable without a
// default is blank), except that a withheld variable is an error.
func substitute(value string, in Input) (string, error) {
	return substituteReporting(value, in, func(string) {})
}

// substituteReporting is substitute calling unset for each unset variable that had no
// default.
func substituteReporting(value string, in Input, unset func(name string)) (string, error) {
	withheld, unsetNames := "", []string{}
	mapping := func(name string) (string, bool) {
		if in.withheld(name) {
			withheld = name
		}
		v, ok := in.Variables[name]
		return v, ok
	}
	replace := func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
		v, applied, err := template.DefaultReplacementAppliedFunc(sub, m, cfg)
		if err == nil && !applied {
			unsetNames = append(unsetNames, strings.Trim(strings.TrimPrefix(sub, "$"), "{}"))
		}
		return v, err
	}
	out, err := template.SubstituteWithOptions(value, mapping,
		template.WithoutLogging, template.WithReplacementFunction(replace))
	if withheld != "" {
		return "", &withheldVariableError{name: withheld}
	}
	if err == nil {
		for _, name := range unsetNames {
			unset(name)
		}
	}
	return out, err
}

// checkVariables warns about every value of a file that references an unset variable with
// no default, and reports those whose interpolation fails (${VAR:?message}, a withheld
// variable), with line and key path. Keys are not interpolated, as in compose-go.
func checkVariables(file string, root *yaml.Node, in Input, ps *problems) {
	walkScalars(root, "", func(path string, n *yaml.Node) {
		unset := func(name string) { ps.warn(file, n.Line, path, unsetVariableWarning, name) }
		if _, err := substituteReporting(n.Value, in, unset); err != nil {
			ps.add(file, n.Line, path, "%s", err.Error())
		}
	})
}

// walkScalars calls fn for every scalar value under n with its dotted key path.
func walkScalars(n *yaml.Node, path string, fn func(path string, n *yaml.Node)) {
	n = resolveAlias(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for _, p := range mergedPairs(n) {
			walkScalars(p.value, joinPath(path, p.key.Value), fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkScalars(c, joinPath(path, strconv.Itoa(i)), fn)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" || n.Tag == "" {
			fn(path, n)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// ReferencedVariables returns the names of the variables the files reference (with or
// without a default), sorted, so that a client can send only those. Files that do not
// parse are skipped: Load reports them.
func ReferencedVariables(files ...File) []string {
	seen := map[string]bool{}
	for _, f := range files {
		var dict map[string]any
		if err := yaml.Unmarshal(f.Content, &dict); err != nil {
			continue
		}
		for name := range template.ExtractVariables(dict, template.DefaultPattern) {
			seen[name] = true
		}
		for _, name := range passThroughVariables(dict) {
			seen[name] = true
		}
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// passThroughVariables lists the `environment:` entries that may take their value from
// the caller's environment: an entry with no value, an empty one, or one that
// interpolation may leave empty (FOO=${UNSET}), as the CLI loader's updateEnvironment
// then looks the name up.
func passThroughVariables(dict map[string]any) []string {
	services, _ := dict["services"].(map[string]any)
	var names []string
	mayBeEmpty := func(v string) bool { return v == "" || strings.Contains(v, "$") }
	for _, svc := range services {
		def, _ := svc.(map[string]any)
		switch env := def["environment"].(type) {
		case []any:
			for _, entry := range env {
				if s, ok := entry.(string); ok {
					if name, value, _ := strings.Cut(s, "="); mayBeEmpty(value) {
						names = append(names, name)
					}
				}
			}
		case map[string]any:
			for name, value := range env {
				if s, isString := value.(string); value == nil || (isString && mayBeEmpty(s)) {
					names = append(names, name)
				}
			}
		}
	}
	return names
}
