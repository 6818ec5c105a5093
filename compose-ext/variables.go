package composeext

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	"gopkg.in/yaml.v3"
)

// missingVariableError is what strict substitution returns for ${VAR} or $VAR when VAR is
// unset and the expression has no default: compose-go would only log a warning and put
// an empty string there.
type missingVariableError struct{ name string }

func (e *missingVariableError) Error() string {
	return fmt.Sprintf("missing variable %q (set it, or write ${%s:-default})", e.name, e.name)
}

// withheldVariableError is what substitution returns for a withheld variable (see
// Input.Withheld), even where the expression has a default: the default is not the value
// the stack was deployed with.
type withheldVariableError struct{ name string }

func (e *withheldVariableError) Error() string {
	return fmt.Sprintf("variable %q holds a password that EXOS does not keep: give its value again", e.name)
}

// substitute interpolates one value like compose-go does, except that an unset variable
// without a default is an error, and so is a withheld one.
func substitute(value string, in Input) (string, error) {
	withheld := ""
	mapping := func(name string) (string, bool) {
		if in.withheld(name) {
			withheld = name
		}
		v, ok := in.Variables[name]
		return v, ok
	}
	out, err := template.SubstituteWithOptions(value, mapping,
		template.WithoutLogging, template.WithReplacementFunction(strictReplacement))
	if withheld != "" {
		return "", &withheldVariableError{name: withheld}
	}
	return out, err
}

func strictReplacement(sub string, mapping template.Mapping, cfg *template.Config) (string, error) {
	value, applied, err := template.DefaultReplacementAppliedFunc(sub, mapping, cfg)
	if err != nil || applied {
		return value, err
	}
	name := strings.Trim(strings.TrimPrefix(sub, "$"), "{}")
	return "", &missingVariableError{name: name}
}

// checkVariables reports every value of a file that references an unset variable with no
// default, with its line and key path. Keys are not interpolated, as in compose-go.
func checkVariables(file string, root *yaml.Node, in Input, ps *problems) {
	walkScalars(root, "", func(path string, n *yaml.Node) {
		if _, err := substitute(n.Value, in); err != nil {
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
		for _, p := range pairs(n) {
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

// passThroughVariables lists the `environment:` entries that have no value: compose takes
// their value from the caller's environment, as `docker stack deploy` does.
func passThroughVariables(dict map[string]any) []string {
	services, _ := dict["services"].(map[string]any)
	var names []string
	for _, svc := range services {
		def, _ := svc.(map[string]any)
		switch env := def["environment"].(type) {
		case []any:
			for _, entry := range env {
				if s, ok := entry.(string); ok && !strings.Contains(s, "=") {
					names = append(names, s)
				}
			}
		case map[string]any:
			for name, value := range env {
				if value == nil {
					names = append(names, name)
				}
			}
		}
	}
	return names
}
