package catalog

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// What a .tpl written for Rancher gets, as rancher-compose-executor gave it.

// noTemplating reports Rancher's opt-out: a .tpl whose first line is "# notemplating"
// (or "#notemplating") is not a template.
func noTemplating(content []byte) bool {
	s := strings.TrimSpace(string(content))
	return strings.HasPrefix(s, "#notemplating") || strings.HasPrefix(s, "# notemplating")
}

// stringValues is .Values as Rancher gave them: every answer a string ("true", "3").
// Rancher templates compare them so (eq .Values.enabled "true"; atoi .Values.count).
func stringValues(typed map[string]any) map[string]string {
	out := make(map[string]string, len(typed))
	for k, v := range typed {
		out[k] = ""
		if v != nil {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// valuesRef is a .Values key a template reads.
var valuesRef = regexp.MustCompile(`\.Values\.([A-Za-z_][A-Za-z0-9_]*)`)

// unasked warns, once a key with its first line, about the .Values keys f reads that no
// answer gives: they render as "" (Rancher's `{{ if .Values.LB_HOST_LABEL }}` was false).
func unasked(f composeext.File, values map[string]string) []composeext.Problem {
	seen := map[string]bool{}
	var out []composeext.Problem
	for _, m := range valuesRef.FindAllSubmatchIndex(f.Content, -1) {
		key := string(f.Content[m[2]:m[3]])
		if _, ok := values[key]; ok || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, composeext.Problem{File: f.Name, Line: 1 + bytes.Count(f.Content[:m[0]], []byte("\n")),
			Message: fmt.Sprintf(".Values.%s is read but no question asks it: it is \"\", as in Rancher (add a question %s to the .catalog block, or answer it with --set %s=...)", key, key, key)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}
