package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	composeext "github.com/exos-platform/exos/compose-ext"
)

// Rendered is a template version made concrete by answers, ready for composeext.Load.
type Rendered struct {
	ComposeFiles []composeext.File
	ExosFile     *composeext.File
	// Variables interpolate ${VAR} in the compose and exos files (the answers, as Rancher
	// does).
	Variables map[string]string
	// Warnings are what rendering let pass as Rancher did: a template written for Rancher
	// reading a .Values key that no answer gives.
	Warnings []composeext.Problem
}

// Input is the composeext input that deploys the rendered version as stack. It is read as
// Rancher read a catalog template (Input.Rancher), whichever catalog it comes from: the
// deploy and the index's verdict (Check) load the same way.
func (r Rendered) Input(stack string) composeext.Input {
	return composeext.Input{Stack: stack, ComposeFiles: r.ComposeFiles, ExosFile: r.ExosFile, Variables: r.Variables,
		Rancher: true}
}

// Render renders docker-compose.yml.tpl with Go text/template and the Sprig functions
// Rancher gave templates, over .Values; a plain docker-compose.yml, or a .tpl starting
// with "# notemplating", is passed as it is, its ${VAR} left to composeext.Load. In an
// EXOS template a missing key is an error, not "<no value>"; in one written for Rancher
// (Version.Rancher) every value is a string and a missing one is "" with a warning, as
// Rancher's answers, which held every question, made it. A rendering error is a
// *composeext.ValidationError naming the file and line.
func Render(v Version, values Values) (Rendered, error) {
	out := Rendered{Variables: values.Variables, ExosFile: v.Exos}
	compose := v.Compose
	if v.Template && !noTemplating(v.Compose.Content) {
		data, missing := any(values.Typed), "missingkey=error"
		if v.Rancher {
			strs := stringValues(values.Typed)
			data, missing, out.Warnings = strs, "missingkey=zero", unasked(v.Compose, strs)
		}
		content, err := renderTemplate(v.Compose, data, missing)
		if err != nil {
			return Rendered{}, &composeext.ValidationError{Problems: []composeext.Problem{templateProblem(v.Compose.Name, err)}}
		}
		compose.Content = content
	}
	out.ComposeFiles = []composeext.File{compose}
	return out, nil
}

// funcs are the template functions: Sprig's, as Rancher 1.6 gave them (sprig v2's
// TxtFuncMap: atoi, until, contains...), built once (the map is only read), each bounded
// so that no template can take the manager's memory (render_limits.go).
var funcs = boundedFuncs(sprig.TxtFuncMap())

// parseTemplate parses a .tpl; missing is its missingkey option.
func parseTemplate(f composeext.File, missing string) (*template.Template, error) {
	return template.New(f.Name).Funcs(funcs).Option(missing).Parse(string(f.Content))
}

func renderTemplate(f composeext.File, data any, missing string) ([]byte, error) {
	tpl, err := parseTemplate(f, missing)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tpl.Execute(capped(&buf), struct{ Values any }{data}); err != nil {
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
	if m := missingKey.FindStringSubmatch(p.Message); m != nil {
		p.Message += fmt.Sprintf(": the template reads .Values.%s, which no question asks and no answer gives "+
			"(add a question %s to the .catalog block, or answer it with --set %s=...)", m[1], m[1], m[1])
	}
	if strings.HasSuffix(p.Message, "expected int; got string") {
		p.Message += " (a template written for Rancher gets every answer as a string: convert it, as in atoi .Values.count)"
	}
	return p
}

// missingKey is text/template's error for a .Values key that is not there.
var missingKey = regexp.MustCompile(`map has no entry for key "([^"]+)"$`)
