package catalog

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// Rendered is a template version made concrete by answers, ready for composeext.Load.
type Rendered struct {
	ComposeFiles []composeext.File
	ExosFile     *composeext.File
	// Variables interpolate ${VAR} in the compose and exos files (the answers, as Rancher
	// does).
	Variables map[string]string
}

// Input is the composeext input that deploys the rendered version as stack.
func (r Rendered) Input(stack string) composeext.Input {
	return composeext.Input{Stack: stack, ComposeFiles: r.ComposeFiles, ExosFile: r.ExosFile, Variables: r.Variables}
}

// Render renders docker-compose.yml.tpl with Go text/template over .Values (a missing key
// is an error, not "<no value>"); a plain docker-compose.yml is passed as it is, its ${VAR}
// left to composeext.Load. A rendering error is a *composeext.ValidationError naming the
// file and line.
func Render(v Version, values Values) (Rendered, error) {
	out := Rendered{Variables: values.Variables, ExosFile: v.Exos}
	compose := v.Compose
	if v.Template {
		content, err := renderTemplate(v.Compose, values.Typed)
		if err != nil {
			return Rendered{}, &composeext.ValidationError{Problems: []composeext.Problem{templateProblem(v.Compose.Name, err)}}
		}
		compose.Content = content
	}
	out.ComposeFiles = []composeext.File{compose}
	return out, nil
}

func parseTemplate(f composeext.File) (*template.Template, error) {
	return template.New(f.Name).Option("missingkey=error").Parse(string(f.Content))
}

func renderTemplate(f composeext.File, typed map[string]any) ([]byte, error) {
	tpl, err := parseTemplate(f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, struct{ Values map[string]any }{typed}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var templateLine = regexp.MustCompile(`^(\d+)(?::\d+)?: `)

// templateProblem turns a text/template error ("template: NAME:LINE[:COL]: msg") into a
// problem with the file and line.
func templateProblem(file string, err error) composeext.Problem {
	var execErr template.ExecError
	msg := err.Error()
	if errors.As(err, &execErr) {
		msg = execErr.Err.Error()
	}
	msg = strings.TrimPrefix(msg, "template: "+file+":")
	p := composeext.Problem{File: file, Message: msg}
	if m := templateLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = strings.TrimPrefix(msg, m[0])
	}
	p.Message = strings.TrimPrefix(p.Message, `executing "`+file+`" at `)
	return p
}
