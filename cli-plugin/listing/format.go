// Package listing renders what `docker exos stack ls` and `stack containers` print, in
// the formats every docker list command takes (table, json, a Go template), byte for
// byte as docker/cli's formatter would.
//
// It does not use that formatter because the plugin's fast path (package fastpath)
// renders these two lists in a process that must start at once, and the formatter's
// package pulls in image-reference parsing whose init alone costs about 1 ms a process
// (Docker starts a plugin twice per command). What is here is the formatter's Context,
// Write and MarshalJSON (github.com/docker/cli/cli/command/formatter, Apache 2.0), kept
// to the parts these lists use; listing_test.go renders the same data through both and
// compares, so a docker/cli upgrade that changes the formatter's output is noticed.
package listing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"

	"github.com/docker/cli/cli/command/formatter/tabwriter"
	"github.com/docker/cli/templates"
)

// The format keys of docker's list commands.
const (
	tableKey   = "table"
	jsonKey    = "json"
	jsonFormat = "{{json .}}"
)

// listFormat is a --format value: "table [TEMPLATE]", "json", or a Go template.
type listFormat string

// isTable reports whether the format is a table, with a header row.
func (f listFormat) isTable() bool { return strings.HasPrefix(string(f), tableKey) }

// isJSON reports whether the format is the json key.
func (f listFormat) isJSON() bool { return string(f) == jsonKey }

// listContext is where and how a list is written.
type listContext struct {
	out    io.Writer
	format listFormat
}

// header is what a row renders as in the table's header: a map from field to title.
type header map[string]string

// row is one rendered item: its fields are its methods, its header the table's titles.
type row interface {
	FullHeader() any
}

// write renders rows in c's format, the header first for a table.
func (c listContext) write(titles header, rows []row) error {
	tmpl, err := templates.Parse(c.finalFormat())
	if err != nil {
		return fmt.Errorf("template parsing error: %w", err)
	}
	var body bytes.Buffer
	for _, r := range rows {
		if err := tmpl.Execute(&body, r); err != nil {
			return fmt.Errorf("template parsing error: %w", err)
		}
		body.WriteString("\n")
	}
	out := c.out
	if out == nil {
		out = io.Discard
	}
	if !c.format.isTable() {
		_, err := body.WriteTo(out)
		return err
	}
	t := tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)
	var head bytes.Buffer
	// Like docker's formatter, a header that fails to render is left out, not an error.
	_ = tmpl.Funcs(templates.HeaderFunctions).Execute(&head, titles)
	_, _ = head.WriteTo(t)
	_, _ = t.Write([]byte("\n"))
	_, _ = body.WriteTo(t)
	return t.Flush()
}

// finalFormat is the template the format stands for.
func (c listContext) finalFormat() string {
	f := string(c.format)
	switch {
	case c.format.isTable():
		f = f[len(tableKey):]
	case c.format.isJSON():
		f = jsonFormat
	}
	f = strings.Trim(f, " ")
	return strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(f)
}

// marshalJSON is a row as `{{json .}}` prints it: every exported method that takes
// nothing and returns one value, by name.
func marshalJSON(r row) ([]byte, error) {
	val := reflect.ValueOf(r)
	typ := val.Type()
	m := map[string]any{}
	for i := range val.NumMethod() {
		method := typ.Method(i)
		name, ft := method.Name, val.Method(i).Type()
		if !unicode.IsUpper(rune(name[0])) || name == "FullHeader" || ft.NumIn() != 0 || ft.NumOut() != 1 {
			continue
		}
		m[name] = val.Method(i).Call(nil)[0].Interface()
	}
	return json.Marshal(m)
}
