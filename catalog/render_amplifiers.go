package catalog

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/Masterminds/sprig"
)

// amplifiers replace the Sprig functions (and text/template's printf) whose result can
// be far larger than their arguments: each checks what it would make before making it,
// because the allocation itself is what kills the process (see render_limits.go).
// Otherwise they are Sprig v2's.
var amplifiers = map[string]any{
	"repeat": func(count int, s string) string {
		if count > 0 && len(s) > renderBudget/count {
			panic(errTooBig)
		}
		return strings.Repeat(s, count)
	},
	"until": func(count int) []int {
		if count < 0 {
			return untilStep(0, count, -1)
		}
		return untilStep(0, count, 1)
	},
	"untilStep": untilStep,
	"indent":    func(spaces int, s string) string { checkIndent(spaces, s); return indentFn(spaces, s) },
	"nindent":   func(spaces int, s string) string { checkIndent(spaces, s); return "\n" + indentFn(spaces, s) },
	"replace": func(old, new, src string) string {
		checkGrowth(len(src), strings.Count(src, old), len(new)-len(old))
		return strings.ReplaceAll(src, old, new)
	},
	"wrapWith": func(l int, sep, s string) string {
		checkGrowth(len(s), len(s)+1, len(sep))
		return wrapWithFn(l, sep, s)
	},
	"join": func(sep string, v any) string {
		if n := listLen(v); n > 0 {
			checkGrowth(0, n, len(sep))
		}
		return joinFn(sep, v)
	},
	"regexReplaceAll": func(re, s, repl string) string {
		// repl's $references expand to at most the text matched: all of s, once a
		// reference, over every match.
		r := regexp.MustCompile(re)
		checkGrowth(len(s)*(1+strings.Count(repl, "$")), matches(r, s), len(repl))
		return r.ReplaceAllString(s, repl)
	},
	"regexReplaceAllLiteral": func(re, s, repl string) string {
		r := regexp.MustCompile(re)
		checkGrowth(len(s), matches(r, s), len(repl))
		return r.ReplaceAllLiteralString(s, repl)
	},
	"printf": func(format string, args ...any) string {
		// A verb prints at most its largest argument, padded to the largest width or
		// precision in the format (a float's digits too); %[1]s can print the same
		// argument at every verb.
		widest := 0
		for _, a := range args {
			widest = max(widest, renderBudget-spend(reflect.ValueOf(a), renderBudget, 0))
		}
		checkGrowth(len(format), strings.Count(format, "%"), widest+largestNumber(format)+400)
		return fmt.Sprintf(format, args...)
	},
	"split":     func(sep, orig string) map[string]string { checkPieces(sep, orig); return splitFn(sep, orig) },
	"splitList": func(sep, orig string) []string { checkPieces(sep, orig); return strings.Split(orig, sep) },
	"splitn": func(sep string, n int, orig string) map[string]string {
		checkPieces(sep, orig)
		return splitnFn(sep, n, orig)
	},
	"randAlphaNum": randFn("randAlphaNum"),
	"randAlpha":    randFn("randAlpha"),
	"randAscii":    randFn("randAscii"),
	"randNumeric":  randFn("randNumeric"),
}

// Sprig's own, called once checked.
var (
	sprigFuncs = sprig.TxtFuncMap()
	indentFn   = sprigFuncs["indent"].(func(int, string) string)
	wrapWithFn = sprigFuncs["wrapWith"].(func(int, string, string) string)
	joinFn     = sprigFuncs["join"].(func(string, any) string)
	splitFn    = sprigFuncs["split"].(func(string, string) map[string]string)
	splitnFn   = sprigFuncs["splitn"].(func(string, int, string) map[string]string)
)

// untilStep is Sprig's, but refuses a list over the budget, and stops where Sprig's
// overflows int and loops forever (untilStep 0 9223372036854775807 4611686018427387904).
func untilStep(start, stop, step int) []int {
	v := []int{}
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		if (len(v)+1)*itemCost > renderBudget {
			panic(errTooBig)
		}
		v = append(v, i)
		if next := i + step; (next > i) != (step > 0) {
			break
		}
	}
	return v
}

func checkIndent(spaces int, s string) {
	if spaces > 0 {
		checkGrowth(len(s), strings.Count(s, "\n")+1, spaces)
	}
}

// checkGrowth refuses a result of base bytes plus n insertions of size bytes each, over
// the budget. The operands are each at most a few budgets (the arguments are measured
// first), so the product fits an int.
func checkGrowth(base, n, size int) {
	if size > 0 && (size > renderBudget || base+n*size > renderBudget) {
		panic(errTooBig)
	}
}

// checkPieces refuses to split orig into more pieces than the budget holds: splitting a
// long string on "" makes a piece of every character.
func checkPieces(sep, orig string) {
	if (strings.Count(orig, sep)+1)*itemCost > renderBudget {
		panic(errTooBig)
	}
}

func randFn(name string) func(int) string {
	fn := sprigFuncs[name].(func(int) string)
	return func(count int) string {
		if count > renderBudget {
			panic(errTooBig)
		}
		return fn(count)
	}
}

// largestNumber is the largest run of digits in format, as fmt reads widths: at most 10^6.
func largestNumber(format string) int {
	largest, n := 0, 0
	for i := 0; i < len(format); i++ {
		if c := format[i]; c >= '0' && c <= '9' {
			n = min(n*10+int(c-'0'), 1_000_000)
			largest = max(largest, n)
			continue
		}
		n = 0
	}
	return largest
}

func matches(r *regexp.Regexp, s string) int { return len(r.FindAllStringIndex(s, -1)) }

// listLen is how many items Sprig's join joins: a list's length, or 1.
func listLen(v any) int {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		return rv.Len()
	}
	return 1
}
