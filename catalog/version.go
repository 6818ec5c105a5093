package catalog

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/Masterminds/semver/v3"
	composeext "github.com/exos-platform/exos/compose-ext"
	"gopkg.in/yaml.v3"
)

// catalogBlock is the .catalog block of an exos or rancher-compose file.
type catalogBlock struct {
	Name        string `yaml:"name"`
	Version     string `yaml:"version"`
	Description string `yaml:"description"`
	UpgradeFrom string `yaml:"upgrade_from"`
}

// indexVersion reads one version folder; nil when it cannot be deployed as written.
func indexVersion(fsys fs.FS, dir string, cfg config) (*Version, []composeext.Problem) {
	v := &Version{Number: path.Base(dir), Name: cfg.Name, Description: cfg.Description}
	compose, isTpl := firstFile(fsys, dir, "docker-compose.yml", "docker-compose.yaml", "docker-compose.yml.tpl")
	if compose == nil {
		return nil, []composeext.Problem{{File: dir, Message: "missing docker-compose.yml (or docker-compose.yml.tpl)"}}
	}
	v.Compose, v.Template = *compose, isTpl == 2
	var exos int
	v.Exos, exos = firstFile(fsys, dir, "exos-compose.yml", "exos-compose.yaml", "rancher-compose.yml", "rancher-compose.yaml")
	v.Rancher = exos < 0 || exos >= 2
	if readme, _ := firstFile(fsys, dir, "README.md", "README", "readme.md"); readme != nil {
		v.README = string(readme.Content)
	}
	problems := checkSyntax(v.Compose, v.Template)
	if v.Exos != nil {
		problems = append(problems, readCatalogBlock(v, *v.Exos)...)
	}
	if v.Version == "" {
		v.Version = v.Number
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return v, nil
}

// firstFile returns the first of names that exists in dir, and its position in names.
func firstFile(fsys fs.FS, dir string, names ...string) (*composeext.File, int) {
	for i, name := range names {
		p := path.Join(dir, name)
		if data, err := fs.ReadFile(fsys, p); err == nil {
			return &composeext.File{Name: p, Content: data}, i
		}
	}
	return nil, -1
}

// checkSyntax reports a compose file that is not YAML, or a .tpl that is not a valid Go
// template, with its line. Keys given twice are compose-ext's business (Rancher took the
// last one).
func checkSyntax(f composeext.File, isTpl bool) []composeext.Problem {
	if isTpl {
		if noTemplating(f.Content) {
			return nil
		}
		if _, err := parseTemplate(f, "missingkey=error"); err != nil {
			return []composeext.Problem{templateProblem(f.Name, err)}
		}
		return nil
	}
	if _, err := parseLastWins(f.Content); err != nil {
		return []composeext.Problem{yamlProblem(f.Name, err)}
	}
	return nil
}

// readCatalogBlock fills v from the .catalog block of the exos file.
func readCatalogBlock(v *Version, f composeext.File) []composeext.Problem {
	root, err := parseLastWins(f.Content)
	if err != nil {
		return []composeext.Problem{yamlProblem(f.Name, err)}
	}
	if len(root.Content) == 0 {
		return nil
	}
	key, node := catalogBlockNode(root.Content[0])
	if node == nil {
		return nil
	}
	var block catalogBlock
	if err := node.Decode(&block); err != nil {
		return []composeext.Problem{{File: f.Name, Line: key.Line, Key: ".catalog", Message: yamlError(err)}}
	}
	v.Version, v.UpgradeFrom = block.Version, block.UpgradeFrom
	if block.Name != "" {
		v.Name = block.Name
	}
	if block.Description != "" {
		v.Description = block.Description
	}
	var problems []composeext.Problem
	if v.UpgradeFrom != "" {
		if _, err := semver.NewConstraint(v.UpgradeFrom); err != nil {
			problems = append(problems, composeext.Problem{File: f.Name, Line: lineOf(node, "upgrade_from"),
				Key: ".catalog.upgrade_from", Message: fmt.Sprintf("not a semver range: %v", err)})
		}
	}
	// An empty questions: (null) asks nothing, as in Rancher.
	if _, qs := mappingChild(node, "questions"); qs != nil && qs.Tag != "!!null" {
		questions, ps := parseQuestions(f.Name, qs)
		v.Questions = questions
		problems = append(problems, ps...)
	}
	return problems
}

// catalogBlockNode finds the catalog block: .catalog, or, in a file of the v2 layout
// (version: '2', as a third of Rancher's community templates are), catalog. In the v1
// layout a top-level catalog is a service's name.
func catalogBlockNode(top *yaml.Node) (*yaml.Node, *yaml.Node) {
	if key, node := mappingChild(top, ".catalog"); node != nil {
		return key, node
	}
	if _, version := mappingChild(top, "version"); version != nil {
		return mappingChild(top, "catalog")
	}
	return nil, nil
}

// mappingChild returns the key and value nodes of key in a mapping node.
func mappingChild(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}
