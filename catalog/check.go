package catalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkAnswer validates one answer against its question. It returns the typed value (int,
// bool or string), its string form for ${VAR} interpolation, or a message saying what was
// expected and what was given.
func checkAnswer(q Question, raw any) (any, string, string) {
	switch q.Type {
	case "int":
		return checkInt(q, raw)
	case "boolean":
		return checkBool(raw)
	case "enum":
		s, ok := scalarString(raw)
		for _, o := range q.Options {
			if ok && s == o {
				return s, s, ""
			}
		}
		return nil, "", fmt.Sprintf("must be one of %s, got %s", strings.Join(q.Options, ", "), quoted(raw))
	}
	s, ok := scalarString(raw)
	if !ok {
		return nil, "", fmt.Sprintf("must be a %s, got %s", q.Type, quoted(raw))
	}
	if msg := checkString(q, s); msg != "" {
		return nil, "", msg
	}
	return s, s, ""
}

func checkInt(q Question, raw any) (any, string, string) {
	var n int
	var err error
	switch v := raw.(type) {
	case int:
		n = v
	case float64: // JSON numbers
		if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
			err = strconv.ErrSyntax
		}
		n = int(v)
	case string:
		n, err = strconv.Atoi(strings.TrimSpace(v))
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || (q.Min != nil && n < *q.Min) || (q.Max != nil && n > *q.Max) {
		return nil, "", "must be " + intRange(q) + ", got " + quoted(raw)
	}
	return n, strconv.Itoa(n), ""
}

func intRange(q Question) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return fmt.Sprintf("an int between %d and %d", *q.Min, *q.Max)
	case q.Min != nil:
		return fmt.Sprintf("an int >= %d", *q.Min)
	case q.Max != nil:
		return fmt.Sprintf("an int <= %d", *q.Max)
	}
	return "an int"
}

func checkBool(raw any) (any, string, string) {
	switch v := raw.(type) {
	case bool:
		return v, strconv.FormatBool(v), ""
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
			return b, strconv.FormatBool(b), ""
		}
	}
	return nil, "", "must be a boolean (true or false), got " + quoted(raw)
}

// checkString applies the length and character rules of string-like questions.
func checkString(q Question, s string) string {
	n := utf8.RuneCountInString(s)
	if q.MinLength != nil && n < *q.MinLength {
		return fmt.Sprintf("must be at least %d characters long, got %d", *q.MinLength, n)
	}
	if q.MaxLength != nil && n > *q.MaxLength {
		return fmt.Sprintf("must be at most %d characters long, got %d", *q.MaxLength, n)
	}
	show := strconv.QuoteRune
	if q.Type == "password" {
		show = func(rune) string { return "another character" } // not a piece of the password
	}
	for _, r := range s {
		if q.ValidChars != "" && !strings.ContainsRune(q.ValidChars, r) {
			return fmt.Sprintf("must only contain characters of %q, got %s", q.ValidChars, show(r))
		}
		if strings.ContainsRune(q.InvalidChars, r) {
			return fmt.Sprintf("must not contain %s", show(r))
		}
	}
	return ""
}

// scalarString gives the string form of a scalar answer (a YAML file may give an int for
// a string question); lists and maps are not answers.
func scalarString(raw any) (string, bool) {
	switch v := raw.(type) {
	case string:
		return v, true
	case int, bool:
		return fmt.Sprint(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// quoted shows a given answer in a message. Password answers never reach it: checkString
// reports only lengths and characters for them.
func quoted(raw any) string {
	if s, ok := scalarString(raw); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("a %T", raw)
}
