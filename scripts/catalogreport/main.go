// Command catalogreport reads a catalog directory with package catalog, exactly as the
// manager indexes a fetched catalog (catalog.Index, every version judged by a deploy with
// its default answers), and prints how many templates deploy, how many are refused and
// why, and what could not be read. scripts/catalog-report.sh runs it.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/exos-platform/exos/catalog"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: catalog-report.sh CATALOG_DIR (a folder holding templates/ and swarm-templates/)")
		os.Exit(2)
	}
	dir, err := filepath.Abs(os.Args[1])
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalog-report:", err)
		os.Exit(1)
	}
	c := catalog.Index(os.DirFS(dir))
	if err := write(os.Stdout, summarize(c)); err != nil {
		fmt.Fprintln(os.Stderr, "catalog-report:", err)
		os.Exit(1)
	}
}

// write prints the report.
func write(w io.Writer, r report) error {
	fmt.Fprintln(w, "Default version of each template, judged as `catalog deploy` would deploy it:")
	fmt.Fprintf(w, "  %-17s %9s %11s %8s %11s\n", "FOLDER", "TEMPLATES", "DEPLOYABLE", "REFUSED", "UNREADABLE")
	for _, f := range r.folders {
		fmt.Fprintf(w, "  %-17s %9d %11d %8d %11d\n", f.name+"/", f.deployable+f.refused+f.unreadable, f.deployable, f.refused, f.unreadable)
	}
	fmt.Fprintf(w, "\nRead errors: %d\n", len(r.readErrors))
	for _, p := range r.readErrors {
		fmt.Fprintf(w, "  %s\n", p)
	}
	fmt.Fprintf(w, "\nTop refusal reasons, by feature: templates refused (refused for it alone), one example:\n")
	for _, g := range r.top(15) {
		fmt.Fprintf(w, "  %3d (%2d)  %s\n            e.g. %s: %s\n", len(g.templates), g.alone, g.feature, g.example.template, g.example.problem)
	}
	_, err := fmt.Fprintf(w, "\nDeployable (%d):\n%s\n", len(r.deployable), wrap(r.deployable, 92))
	return err
}
