package stacks

import (
	"fmt"
	"strings"
)

// diffContext is how many unchanged lines a hunk shows around a change, as diff -u.
const diffContext = 3

// maxDiffCells bounds the line comparison (lines of a x lines of b): inputs larger than
// that are shown as replaced whole rather than costing the manager its memory.
const maxDiffCells = 4_000_000

// lineOp is one line of an edit script: kept (' '), removed ('-') or added ('+').
type lineOp struct {
	kind byte
	line string
}

// unifiedDiff is the unified diff (diff -u) from text a to text b, labelled fromName
// and toName; "" when they are the same.
func unifiedDiff(fromName, toName, a, b string) string {
	if a == b {
		return ""
	}
	ops := editScript(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", fromName, toName)
	for _, h := range hunks(ops) {
		writeHunk(&out, ops, h)
	}
	return out.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// editScript is a shortest edit script from a to b, through their longest common
// subsequence of lines.
func editScript(a, b []string) []lineOp {
	if len(a)*len(b) > maxDiffCells {
		var ops []lineOp
		for _, l := range a {
			ops = append(ops, lineOp{'-', l})
		}
		for _, l := range b {
			ops = append(ops, lineOp{'+', l})
		}
		return ops
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []lineOp
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			ops = append(ops, lineOp{' ', a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, lineOp{'-', a[i]})
			i++
		default:
			ops = append(ops, lineOp{'+', b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		ops = append(ops, lineOp{'-', a[i]})
	}
	for ; j < len(b); j++ {
		ops = append(ops, lineOp{'+', b[j]})
	}
	return ops
}

// hunk is a range [start, end) of an edit script shown together.
type hunk struct{ start, end int }

// hunks groups the changes of ops with diffContext lines around each; changes closer
// than twice that share a hunk.
func hunks(ops []lineOp) []hunk {
	var out []hunk
	for i := 0; i < len(ops); i++ {
		if ops[i].kind == ' ' {
			continue
		}
		start, end := max(0, i-diffContext), min(len(ops), i+1+diffContext)
		if n := len(out); n > 0 && start <= out[n-1].end {
			out[n-1].end = end
			continue
		}
		out = append(out, hunk{start, end})
	}
	return out
}

func writeHunk(out *strings.Builder, ops []lineOp, h hunk) {
	aLine, bLine := 1, 1 // the first line of each side in the hunk, 1-based
	for _, op := range ops[:h.start] {
		if op.kind != '+' {
			aLine++
		}
		if op.kind != '-' {
			bLine++
		}
	}
	aCount, bCount := 0, 0
	for _, op := range ops[h.start:h.end] {
		if op.kind != '+' {
			aCount++
		}
		if op.kind != '-' {
			bCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aLine, aCount), hunkRange(bLine, bCount))
	for _, op := range ops[h.start:h.end] {
		out.WriteByte(op.kind)
		out.WriteString(op.line)
		out.WriteByte('\n')
	}
}

// hunkRange is diff -u's start,count; an empty range names the line before it.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}
