package catalog

import (
	"context"
	"errors"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// A version is deployable only if a deploy of it with its default answers would go
// through: Check answers, renders and loads it exactly as `catalog deploy` does (Resolve,
// Render, composeext.Load of Rendered.Input, Rancher reading and preflight included), so
// that `template ls` never calls deployable what a deploy refuses. There is no second,
// static list of what Swarm cannot do: compose-ext's Rancher reading is that list.

// Verdict is what Check found.
type Verdict struct {
	// Reasons say why the version does not deploy; empty means it does.
	Reasons []composeext.Problem
	// Warnings are what the load only warned about (Rancher features translated...).
	Warnings []composeext.Problem
}

// Check deploys v as stack would be deployed, with its default answers and nothing
// written: a required question with no default gets a valid answer of its type, as a
// user must give one. A stack name that is not valid is the template's business only
// through its name, so callers pass VerdictStack(template name).
func Check(ctx context.Context, stack string, v Version) Verdict {
	values, err := DefaultValues(v.Questions)
	if err != nil {
		return Verdict{Reasons: answerReasons(v, err)}
	}
	rendered, err := Render(v, values)
	if err != nil {
		return Verdict{Reasons: reasons(err)}
	}
	st, err := composeext.Load(ctx, rendered.Input(stack))
	if err != nil {
		return Verdict{Reasons: reasons(err), Warnings: rendered.Warnings}
	}
	return Verdict{Warnings: append(rendered.Warnings, st.Warnings...)}
}

// DefaultValues answers every question with its default, a required question without
// one with a sample of its type.
func DefaultValues(questions []Question) (Values, error) {
	file := map[string]any{}
	for _, q := range questions {
		if q.Required && q.Default == "" {
			_, file[q.Variable] = sampleAnswer(q)
		}
	}
	return Resolve(questions, file, nil)
}

// reasons are the problems of a render or load error.
func reasons(err error) []composeext.Problem {
	var ve *composeext.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return []composeext.Problem{{Message: err.Error()}}
}

// answerReasons place answer problems (keyed by variable) in the file asking the question.
func answerReasons(v Version, err error) []composeext.Problem {
	ps := reasons(err)
	var ae *AnswersError
	if errors.As(err, &ae) {
		ps = ae.Problems
	}
	out := make([]composeext.Problem, 0, len(ps))
	for _, p := range ps {
		if v.Exos != nil {
			p.File = v.Exos.Name
		}
		p.Key, p.Message = ".catalog.questions."+p.Key, "the default answer "+p.Message
		out = append(out, p)
	}
	return out
}

// VerdictStack is the stack name a template is judged as: its name in the characters of
// a stack name, at most 20 of them (users name stacks shortly; Swarm's name limits count
// the stack's prefix).
func VerdictStack(template string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(template) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || ((r == '-' || r == '_') && b.Len() > 0) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if len(name) > 20 {
		name = name[:20]
	}
	if name == "" {
		return "app"
	}
	return name
}
