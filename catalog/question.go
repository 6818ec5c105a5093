package catalog

import (
	"fmt"
	"regexp"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gopkg.in/yaml.v3"
)

// Question is one question of a template version, as Rancher defines them.
type Question struct {
	Variable    string
	Label       string
	Description string
	Type        string // one of QuestionTypes; "string" when the file leaves it out
	Required    bool
	Default     string // "" means no default
	Group       string
	Min, Max    *int // bounds of an int
	MinLength   *int
	MaxLength   *int
	// ValidChars, when set, lists the only characters an answer may hold;
	// InvalidChars the characters it must not hold.
	ValidChars   string
	InvalidChars string
	Options      []string // the choices of an enum
}

// QuestionTypes are the question types a template may use.
var QuestionTypes = []string{"string", "int", "boolean", "password", "enum", "multiline", "certificate", "service"}

// rawQuestion is a question as written; Default stays untyped because YAML gives ints
// and booleans for unquoted defaults.
type rawQuestion struct {
	Variable     string   `yaml:"variable"`
	Label        string   `yaml:"label"`
	Description  string   `yaml:"description"`
	Type         string   `yaml:"type"`
	Required     bool     `yaml:"required"`
	Default      any      `yaml:"default"`
	Group        string   `yaml:"group"`
	Min          *int     `yaml:"min"`
	Max          *int     `yaml:"max"`
	MinLength    *int     `yaml:"min_length"`
	MaxLength    *int     `yaml:"max_length"`
	ValidChars   string   `yaml:"valid_chars"`
	InvalidChars string   `yaml:"invalid_chars"`
	Options      []string `yaml:"options"`
}

var variableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseQuestions reads the questions sequence node, reporting every broken question with
// its line; the good ones are returned.
func parseQuestions(file string, seq *yaml.Node) ([]Question, []composeext.Problem) {
	var out []Question
	var ps []composeext.Problem
	if seq.Kind != yaml.SequenceNode {
		return nil, []composeext.Problem{{File: file, Line: seq.Line, Key: ".catalog.questions", Message: "must be a list"}}
	}
	seen := map[string]bool{}
	for i, node := range seq.Content {
		key := fmt.Sprintf(".catalog.questions[%d]", i)
		q, problems := parseQuestion(file, key, node)
		if len(problems) == 0 && seen[q.Variable] {
			problems = append(problems, composeext.Problem{File: file, Line: node.Line, Key: key + ".variable",
				Message: fmt.Sprintf("question %s: asked twice", q.Variable)})
		}
		seen[q.Variable] = true
		ps = append(ps, problems...)
		if len(problems) == 0 {
			out = append(out, q)
		}
	}
	return out, ps
}

func parseQuestion(file, key string, node *yaml.Node) (Question, []composeext.Problem) {
	var raw rawQuestion
	if err := node.Decode(&raw); err != nil {
		return Question{}, []composeext.Problem{{File: file, Line: node.Line, Key: key, Message: yamlError(err)}}
	}
	q := Question{Variable: raw.Variable, Label: raw.Label, Description: raw.Description, Type: raw.Type,
		Required: raw.Required, Group: raw.Group, Min: raw.Min, Max: raw.Max, MinLength: raw.MinLength,
		MaxLength: raw.MaxLength, ValidChars: raw.ValidChars, InvalidChars: raw.InvalidChars, Options: raw.Options}
	if q.Type == "" {
		q.Type = "string"
	}
	if raw.Default != nil {
		q.Default = fmt.Sprint(raw.Default)
	}
	var ps []composeext.Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, composeext.Problem{File: file, Line: lineOf(node, field), Key: key + "." + field,
			Message: fmt.Sprintf("question %s: ", q.Variable) + fmt.Sprintf(format, args...)})
	}
	switch {
	case q.Variable == "":
		add("variable", "variable is required")
	case !variableName.MatchString(q.Variable):
		add("variable", "variable must be letters, digits and _ (it is a ${VAR} name)")
	}
	switch {
	case !isQuestionType(q.Type):
		add("type", "unknown type %q (want one of %s)", q.Type, strings.Join(QuestionTypes, ", "))
	case q.Type == "enum" && len(q.Options) == 0:
		add("options", "an enum needs options")
	case q.Default != "":
		if _, _, msg := checkAnswer(q, q.Default); msg != "" {
			add("default", "default %s", msg)
		}
	}
	return q, ps
}

func isQuestionType(t string) bool {
	for _, known := range QuestionTypes {
		if t == known {
			return true
		}
	}
	return false
}

// lineOf is the line of key in a mapping node, else the node's own line.
func lineOf(node *yaml.Node, key string) int {
	if node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == key {
				return node.Content[i].Line
			}
		}
	}
	return node.Line
}

// yamlError drops yaml.v3's "yaml: " prefix; the line stays in the message.
func yamlError(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), "unmarshal errors:\n  ")
}
