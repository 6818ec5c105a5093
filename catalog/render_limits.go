package catalog

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"text/template"
)

// A catalog is a third party's Git repository, and the manager renders each template's
// default version as soon as it fetches one (the index's verdict), with the deploying
// user's answers at deploy. text/template and Sprig have no limits of their own: one line
// such as {{ repeat 3000000000 "x" }} runs the manager out of memory, which the Go runtime
// cannot recover from, so the manager would crash on every start that fetches the
// catalog. Renders are bounded here instead: the functions that make a big value out of
// small arguments check them first (render_amplifiers.go), every function's arguments
// and result are measured against renderBudget (a range loop can double a string at each
// turn), and so is the output. A template over the budget fails to render, with a problem
// naming its line, like any rendering error.

// renderBudget bounds a rendered file and every value a template computes: compose files
// are kilobytes, and a whole deploy request is at most 8 MiB.
const renderBudget = 4 << 20

// itemCost is what an element of a list or a map counts against renderBudget besides its
// strings' bytes: about its size in memory.
const itemCost = 8

// maxDepth bounds how deeply nested a value may be; it also keeps a map holding itself
// (set $d "k" $d) from being walked forever.
const maxDepth = 32

var errTooBig = fmt.Errorf("the template makes more than %d bytes (a value, or the rendered file); "+
	"a catalog template must stay within that", renderBudget)

// boundedFuncs returns fm, the amplifiers and text/template's own string builtins, each
// behind bounded.
func boundedFuncs(fm template.FuncMap) template.FuncMap {
	out := template.FuncMap{
		"print":    fmt.Sprint,
		"println":  fmt.Sprintln,
		"html":     template.HTMLEscaper,
		"js":       template.JSEscaper,
		"urlquery": template.URLQueryEscaper,
	}
	for name, fn := range fm {
		out[name] = fn
	}
	for name, fn := range amplifiers {
		out[name] = fn
	}
	for name, fn := range out {
		out[name] = bounded(fn)
	}
	return out
}

// bounded wraps fn: it refuses arguments that add up to more than renderBudget, and
// fails when its result does. It fails by panicking, which text/template turns into an
// execution error of the call (and it is how a function without an error result fails).
func bounded(fn any) any {
	v := reflect.ValueOf(fn)
	call := v.Call
	if v.Type().IsVariadic() {
		call = v.CallSlice
	}
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		budget := renderBudget
		for _, a := range args {
			if budget = spend(a, budget, 0); budget < 0 {
				panic(errTooBig)
			}
		}
		out := call(args)
		if len(out) > 0 && spend(out[0], renderBudget, 0) < 0 {
			panic(errTooBig)
		}
		return out
	}).Interface()
}

// spend returns what is left of budget once v is paid for, negative when v costs more.
// It stops as soon as the budget is spent, so a huge value costs no more than the budget
// to measure.
func spend(v reflect.Value, budget, depth int) int {
	if depth > maxDepth {
		return -1
	}
	switch v.Kind() {
	case reflect.String:
		return budget - len(v.String())
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return budget
		}
		return spend(v.Elem(), budget, depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return budget - v.Len()
		}
		for i := 0; i < v.Len() && budget >= 0; i++ {
			budget = spend(v.Index(i), budget-itemCost, depth+1)
		}
		return budget
	case reflect.Map:
		for it := v.MapRange(); it.Next() && budget >= 0; {
			budget = spend(it.Value(), spend(it.Key(), budget-itemCost, depth+1), depth+1)
		}
		return budget
	}
	return budget
}

// capped is the rendered output: a write that takes it past renderBudget fails the
// render (a loop can write forever without calling anything).
func capped(b *bytes.Buffer) io.Writer { return cappedWriter{b} }

type cappedWriter struct{ b *bytes.Buffer }

func (w cappedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > renderBudget {
		return 0, errTooBig
	}
	return w.b.Write(p)
}
