package composeext

import (
	"fmt"
	"sort"
	"strings"
)

// String renders the problem as "file:line: key: message", leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists every problem, one a line, in file and line order.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("invalid stack definition (%d problems):", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// problems collects problems while the input is checked, so that a user sees all of them
// in one go instead of fixing them one by one.
type problems struct {
	list []Problem
}

func (ps *problems) add(file string, line int, key, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) empty() bool { return len(ps.list) == 0 }

// err returns nil when nothing was found, else a *ValidationError with the problems sorted
// and deduplicated (the same missing variable can surface through two checks).
func (ps *problems) err() error {
	if ps.empty() {
		return nil
	}
	list := append([]Problem(nil), ps.list...)
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
	out := list[:0]
	for i, p := range list {
		if i > 0 && p == list[i-1] {
			continue
		}
		out = append(out, p)
	}
	return &ValidationError{Problems: out}
}

// hasKey reports whether a problem was already recorded for key (or a parent of it) in file:
// compose-go then reports knock-on errors for the same value that would only add noise.
func (ps *problems) hasKey(file, key string) bool {
	for _, p := range ps.list {
		if p.File == file && p.Key != "" && (p.Key == key || strings.HasPrefix(key, p.Key+".")) {
			return true
		}
	}
	return false
}
