package catalog

import (
	"strconv"
	"strings"
)

// sampleValues answers every question with its default, or a plausible value of its type:
// enough to render a .tpl for the static checks of Index.
func sampleValues(questions []Question) Values {
	v := Values{Typed: map[string]any{}, Variables: map[string]string{}}
	for _, q := range questions {
		typed, str := sampleAnswer(q)
		v.Typed[q.Variable], v.Variables[q.Variable] = typed, str
	}
	return v
}

func sampleAnswer(q Question) (any, string) {
	if q.Default != "" {
		if typed, str, msg := checkAnswer(q, q.Default); msg == "" {
			return typed, str
		}
	}
	switch q.Type {
	case "int":
		n := 1
		if q.Min != nil {
			n = *q.Min
		}
		return n, strconv.Itoa(n)
	case "boolean":
		return false, "false"
	case "enum":
		return q.Options[0], q.Options[0]
	}
	n := 8
	if q.MinLength != nil && *q.MinLength > n {
		n = *q.MinLength
	}
	if q.MaxLength != nil && *q.MaxLength < n {
		n = *q.MaxLength
	}
	c := "x"
	if q.ValidChars != "" {
		c = string([]rune(q.ValidChars)[0])
	}
	s := strings.Repeat(c, n)
	return s, s
}
