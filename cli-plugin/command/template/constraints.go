package template

import (
	"strconv"
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
)

// defaultWidth keeps a multiline default (a certificate, a config file) to one cell.
const defaultWidth = 30

// constraints sums up what an answer must satisfy, as "1..65535, one of a|b", or "-".
func constraints(q api.Question) string {
	var parts []string
	if r := bounds(q.Min, q.Max); r != "" {
		parts = append(parts, r)
	}
	if r := bounds(q.MinLength, q.MaxLength); r != "" {
		parts = append(parts, "len "+r)
	}
	if len(q.Options) > 0 {
		parts = append(parts, "one of "+strings.Join(q.Options, "|"))
	}
	if q.ValidChars != "" {
		parts = append(parts, "only chars "+strconv.Quote(q.ValidChars))
	}
	if q.InvalidChars != "" {
		parts = append(parts, "no chars "+strconv.Quote(q.InvalidChars))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// bounds is "min..max" with either side left open, or "" when neither is set.
func bounds(lo, hi *int) string {
	if lo == nil && hi == nil {
		return ""
	}
	r := ".."
	if lo != nil {
		r = strconv.Itoa(*lo) + r
	}
	if hi != nil {
		r += strconv.Itoa(*hi)
	}
	return r
}

// shortDefault is the default's first line, cut to defaultWidth, or "-".
func shortDefault(s string) string {
	if s == "" {
		return "-"
	}
	line, rest, _ := strings.Cut(s, "\n")
	if rest != "" {
		line += "…"
	}
	return formatter.Ellipsis(line, defaultWidth)
}
