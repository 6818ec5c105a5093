package catalog

import (
	"fmt"
	"sort"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// Values are resolved answers.
type Values struct {
	// Typed are the values .tpl files see as .Values: int as int, boolean as bool, the
	// rest as strings. A password answer is the stand-in "${VAR}", interpolated from
	// Variables when the rendered files are loaded: a rendered file never holds a
	// password, so it may be recorded.
	Typed map[string]any
	// Variables are the same values as strings, for ${VAR} interpolation.
	Variables map[string]string
	// Passwords are the variables of password questions, sorted.
	Passwords []string
}

// Secrets returns the answers to password questions, for the caller to store as Swarm
// secrets.
func (v Values) Secrets() map[string]string {
	out := make(map[string]string, len(v.Passwords))
	for _, name := range v.Passwords {
		out[name] = v.Variables[name]
	}
	return out
}

// Public returns every answer except passwords: what may be recorded in clear.
func (v Values) Public() map[string]string {
	out := make(map[string]string, len(v.Variables))
	for k, s := range v.Variables {
		out[k] = s
	}
	for _, name := range v.Passwords {
		delete(out, name)
	}
	return out
}

// AnswersError lists every answer that does not fit its question; Key is the variable.
type AnswersError struct {
	Problems []composeext.Problem
}

// Error renders one line a problem: "answers: variable: message".
func (e *AnswersError) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		lines = append(lines, "answers: "+p.Key+": "+p.Message)
	}
	return strings.Join(lines, "\n")
}

// Resolve answers the questions: a set wins over the file, the file over the default.
// Every violation is reported at once in an *AnswersError, a set that misspells a
// question among them (CheckSets). Other answers to no question are kept as variables,
// as Rancher does (templates may read them as ${VAR}). An optional question left
// unanswered is "" (false for a boolean).
func Resolve(questions []Question, file map[string]any, sets map[string]string) (Values, error) {
	v := Values{Typed: map[string]any{}, Variables: map[string]string{}}
	for name, raw := range file {
		v.Typed[name] = raw
		v.Variables[name], _ = scalarString(raw)
	}
	for name, s := range sets {
		v.Typed[name], v.Variables[name] = s, s
	}
	problems := CheckSets(questions, sets)
	for _, q := range questions {
		if q.Type == "password" {
			v.Passwords = append(v.Passwords, q.Variable)
		}
		typed, str, msg := answer(q, file, sets)
		if msg != "" {
			problems = append(problems, composeext.Problem{Key: q.Variable, Message: msg})
			continue
		}
		v.Typed[q.Variable], v.Variables[q.Variable] = typed, str
		if q.Type == "password" && str != "" {
			v.Typed[q.Variable] = "${" + q.Variable + "}"
		}
	}
	sort.Strings(v.Passwords)
	if len(problems) > 0 {
		sort.Slice(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
		return Values{}, &AnswersError{Problems: problems}
	}
	return v, nil
}

// answer picks and checks the answer to one question.
func answer(q Question, file map[string]any, sets map[string]string) (any, string, string) {
	raw, given := any(nil), false
	if s, ok := sets[q.Variable]; ok {
		raw, given = s, true
	} else if f, ok := file[q.Variable]; ok && f != nil {
		raw, given = f, true
	} else if q.Default != "" {
		raw, given = q.Default, true
	}
	if given {
		if s, ok := raw.(string); ok && s == "" {
			given = false
		}
	}
	switch {
	case !given && q.Required:
		return nil, "", fmt.Sprintf("required (a %s), no answer given and no default", q.Type)
	case !given && q.Type == "boolean":
		return false, "false", ""
	case !given:
		return "", "", ""
	}
	return checkAnswer(q, raw)
}
