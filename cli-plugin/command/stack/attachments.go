package stack

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"gopkg.in/yaml.v3"
)

// fileRef is one `file:` of a top-level config or secret, where it was written.
type fileRef struct {
	file string // compose file it appears in
	line int
	key  string // configs.NAME.file
	path string // as written, variables expanded
}

// collectAttachments reads the files that top-level configs and secrets reference with
// `file:`, relative to dir. The manager never sees the user's disk, so they travel with
// the deploy, keyed by the path as written (after ${VAR} expansion, as compose does).
// Files that cannot be read are reported as a *composeext.ValidationError naming the
// compose file, line and key.
func collectAttachments(files []composeext.File, dir string, vars map[string]string,
	read func(string) ([]byte, error),
) (map[string][]byte, error) {
	out := map[string][]byte{}
	var problems []composeext.Problem
	for _, f := range files {
		for _, ref := range fileRefs(f) {
			ref.path = expand(ref.path, vars)
			if _, done := out[ref.path]; done {
				continue
			}
			p := ref.path
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			data, err := read(p)
			if err != nil {
				problems = append(problems, composeext.Problem{
					File: ref.file, Line: ref.line, Key: ref.key, Message: readProblem(p, err),
				})
				continue
			}
			out[ref.path] = data
		}
	}
	if len(problems) > 0 {
		return nil, &composeext.ValidationError{Problems: problems}
	}
	return out, nil
}

func readProblem(path string, err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "file " + path + " does not exist"
	}
	return "cannot read " + path + ": " + err.Error()
}

// fileRefs scans one compose file for configs.*.file and secrets.*.file. A file that is
// not valid YAML yields nothing here: loading it reports the syntax error properly.
func fileRefs(f composeext.File) []fileRef {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Content, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	var refs []fileRef
	for _, kind := range []string{"configs", "secrets"} {
		objs := mappingValue(doc.Content[0], kind)
		if objs == nil || objs.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(objs.Content); i += 2 {
			name, obj := objs.Content[i].Value, objs.Content[i+1]
			if file := mappingValue(obj, "file"); file != nil && file.Kind == yaml.ScalarNode && file.Value != "" {
				refs = append(refs, fileRef{
					file: f.Name, line: file.Line, key: kind + "." + name + ".file", path: file.Value,
				})
			}
		}
	}
	return refs
}

// mappingValue returns the value of key in mapping node n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// expand substitutes $VAR, ${VAR}, ${VAR:-default} and ${VAR-default} in a path the way
// compose interpolation does, so the attachment is keyed as the manager will look it up.
func expand(path string, vars map[string]string) string {
	return os.Expand(path, func(expr string) string {
		name, def, hasDefault := strings.Cut(expr, "-")
		emptyIsUnset := strings.HasSuffix(name, ":")
		name = strings.TrimSuffix(name, ":")
		v, ok := vars[name]
		if hasDefault && (!ok || (emptyIsUnset && v == "")) {
			return def
		}
		return v
	})
}

func sortFiles(files []api.File) {
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
}
