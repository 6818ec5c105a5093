package catalog

import (
	"strconv"
	"strings"
)

// sampleAnswer is a question's default, or a plausible value of its type: what the
// verdict answers a required question that has no default with (see DefaultValues).
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
	// Digits: a string question may stand for a port, a tag, a count or a name, and "1"
	// is all of those (Rancher templates type most answers as strings).
	n := 1
	if q.MinLength != nil && *q.MinLength > n {
		n = *q.MinLength
	}
	if q.MaxLength != nil && *q.MaxLength < n {
		n = *q.MaxLength
	}
	c := "1"
	if q.ValidChars != "" && !strings.ContainsRune(q.ValidChars, '1') {
		c = string([]rune(q.ValidChars)[0])
	}
	s := strings.Repeat(c, n)
	return s, s
}
