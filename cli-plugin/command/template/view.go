package template

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

// writeText is inspect's default output: the template, its versions, then version v in
// detail.
func writeText(out io.Writer, t api.Template, v api.TemplateVersion) error {
	var b strings.Builder
	writeHeader(&b, t)
	writeVersions(&b, t)
	writeVersion(&b, v)
	_, err := io.WriteString(out, b.String())
	return err
}

func writeHeader(b *strings.Builder, t api.Template) {
	ref := t.Catalog + "/" + t.Name
	if t.Title != "" && t.Title != t.Name {
		fmt.Fprintf(b, "%s (%s)\n", t.Title, ref)
	} else {
		fmt.Fprintln(b, ref)
	}
	if d := strings.TrimSpace(t.Description); d != "" {
		fmt.Fprintln(b, d)
	}
	b.WriteString("\n")
	table(b, "", [][]string{
		{"Category:", listing.OrDash(t.Category)},
		{"Maintainer:", listing.OrDash(t.Maintainer)},
		{"License:", listing.OrDash(t.License)},
		{"Project URL:", listing.OrDash(t.ProjectURL)},
		{"Default version:", listing.OrDash(t.DefaultVersion)},
	})
}

func writeVersions(b *strings.Builder, t api.Template) {
	b.WriteString("\nVersions:\n")
	rows := [][]string{{"VERSION", "NUMBER", "UPGRADE FROM", "DEPLOYABLE"}}
	for _, v := range t.Versions {
		name := v.Version
		if v.Version == t.DefaultVersion {
			name += " (default)"
		}
		rows = append(rows, []string{name, strconv.Itoa(v.Number), listing.OrDash(v.UpgradeFrom), deployable(v)})
	}
	table(b, "  ", rows)
}

// deployable is "yes", or "no" and how many reasons; inspect lists every reason of the
// version it shows.
func deployable(v api.TemplateVersion) string {
	switch {
	case v.Deployable == nil: // not judged: a list's version
		return "-"
	case *v.Deployable:
		return "yes"
	case len(v.Reasons) == 1:
		return "no (1 reason)"
	}
	return fmt.Sprintf("no (%d reasons)", len(v.Reasons))
}

func writeVersion(b *strings.Builder, v api.TemplateVersion) {
	fmt.Fprintf(b, "\nVersion %s (folder %d)", v.Version, v.Number)
	if v.Name != "" {
		fmt.Fprintf(b, ": %s", v.Name)
	}
	b.WriteString("\n")
	if d := strings.TrimSpace(v.Description); d != "" {
		fmt.Fprintln(b, d)
	}
	if v.Deployable != nil && !*v.Deployable {
		b.WriteString("\nNot deployable: with its default answers, `catalog deploy` refuses it:\n")
		writeProblems(b, v.Reasons)
	}
	if len(v.Warnings) > 0 {
		b.WriteString("\nA deploy warns (Rancher features translated for Swarm...):\n")
		writeProblems(b, v.Warnings)
	}
	writeQuestions(b, v.Questions)
	if readme := strings.TrimSpace(v.README); readme != "" {
		fmt.Fprintf(b, "\nREADME:\n%s\n", readme)
	}
}

func writeProblems(b *strings.Builder, problems []api.Problem) {
	for _, p := range problems {
		fmt.Fprintf(b, "  %s\n", p)
	}
}

func writeQuestions(b *strings.Builder, questions []api.Question) {
	if len(questions) == 0 {
		b.WriteString("\nQuestions: none\n")
		return
	}
	b.WriteString("\nQuestions:\n")
	rows := [][]string{{"VARIABLE", "TYPE", "REQUIRED", "DEFAULT", "CONSTRAINTS"}}
	for _, q := range questions {
		rows = append(rows, []string{q.Variable, q.Type, yesNo(q.Required).String(), shortDefault(q.Default), constraints(q)})
	}
	table(b, "  ", rows)
}

// table aligns rows in columns three spaces apart, each line after indent.
func table(b *strings.Builder, indent string, rows [][]string) {
	w := tabwriter.NewWriter(b, 0, 8, 3, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(w, indent+strings.Join(r, "\t"))
	}
	_ = w.Flush() // a strings.Builder does not fail
}
