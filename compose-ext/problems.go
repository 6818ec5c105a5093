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
// in one go instead of fixing them one by one. It collects warnings too: what Load accepts
// but a user should know (see Stack.Warnings).
type problems struct {
	list     []Problem
	warnings []Problem
}

// warn records a warning; under Input.Strict Load turns it into a problem.
func (ps *problems) warn(file string, line int, key, format string, args ...any) {
	ps.warnings = append(ps.warnings, Problem{File: file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)})
}

// strictPrefix starts the message of a warning that --strict (Input.Strict) refused.
const strictPrefix = "refused by --strict (a warning otherwise): "

// finish ends a Load: it returns the warnings, or the problems as a *ValidationError.
// Under strict every warning is a problem. With problems, the warnings about the same keys
// go with them: an unset variable explains the bad value it left.
func (ps *problems) finish(strict bool) ([]Problem, error) {
	var moved []Problem
	for _, w := range sortProblems(ps.warnings) {
		switch {
		case strict:
			w.Message = strictPrefix + w.Message
			moved = append(moved, w)
		case ps.hasKey(w.File, w.Key):
			moved = append(moved, w)
		}
	}
	ps.list = append(ps.list, moved...)
	if err := ps.err(); err != nil {
		return nil, err
	}
	if len(ps.warnings) == 0 {
		return nil, nil
	}
	return sortProblems(ps.warnings), nil
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
	return &ValidationError{Problems: sortProblems(ps.list)}
}

// sortProblems returns a sorted copy of list (file, line, key) without duplicates.
func sortProblems(list []Problem) []Problem {
	list = append([]Problem(nil), list...)
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
	seen := make(map[Problem]bool, len(list))
	out := list[:0]
	for _, p := range list {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// hasKey reports whether a problem was already recorded for key (or a parent of it) in file:
// compose-go then reports knock-on errors for the same value that would only add noise.
// hasFile reports whether a problem of file is listed.
func (ps *problems) hasFile(file string) bool {
	for _, p := range ps.list {
		if p.File == file {
			return true
		}
	}
	return false
}

func (ps *problems) hasKey(file, key string) bool {
	for _, p := range ps.list {
		if p.File == file && p.Key != "" && (p.Key == key || strings.HasPrefix(key, p.Key+".")) {
			return true
		}
	}
	return false
}
