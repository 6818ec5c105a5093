// Command build bundles the web dashboard: src/main.js with everything it imports (uPlot
// from node_modules, the style sheets) into dist/app.js and dist/app.css, minified, and
// copies src/index.html beside them. `make web` runs it after `npm ci`; the output is
// committed, and scripts/check-web.sh builds again into a temporary directory to check
// that what is committed is what the sources make.
//
//	go run ./manager/web/build [-dir manager/web] [-out manager/web/dist]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	dir := flag.String("dir", "manager/web", "the web folder: src/, node_modules/")
	out := flag.String("out", "", "where to write the bundle (default DIR/dist)")
	flag.Parse()
	if *out == "" {
		*out = filepath.Join(*dir, "dist")
	}
	if err := build(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "web build:", err)
		os.Exit(1)
	}
}

// outputs are the files a build writes.
var outputs = []string{"index.html", "app.js", "app.css"}

func build(dir, out string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if out, err = filepath.Abs(out); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "uplot")); err != nil {
		return fmt.Errorf("uPlot is not installed in %s/node_modules: run `make web` (npm ci) first: %w", dir, err)
	}
	// A file of an older build would be embedded and served: only this build's stay.
	// (scripts/check-web.sh compares whole folders, so anything else in out shows there.)
	for _, name := range outputs {
		if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	notice, err := uplotNotice(dir)
	if err != nil {
		return err
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     dir,
		EntryPoints:       []string{"src/main.js"},
		EntryNames:        "app",
		Outdir:            out,
		Bundle:            true,
		Write:             true,
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		Platform:          api.PlatformBrowser,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		// uPlot's MIT notice goes with its code (its own header is no legal comment).
		Banner:        map[string]string{"js": notice},
		LegalComments: api.LegalCommentsEndOfFile,
		LogLevel:      api.LogLevelWarning,
	})
	if len(res.Errors) > 0 {
		return errors.New(res.Errors[0].Text)
	}
	index, err := os.ReadFile(filepath.Join(dir, "src", "index.html"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "index.html"), index, 0o644)
}

// uplotNotice is the comment that carries uPlot's license in the bundle.
func uplotNotice(dir string) (string, error) {
	license, err := os.ReadFile(filepath.Join(dir, "node_modules", "uplot", "LICENSE"))
	if err != nil {
		return "", err
	}
	var pkg struct{ Version string }
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "uplot", "package.json"))
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return "", fmt.Errorf("uPlot's package.json: %w", err)
	}
	text := strings.ReplaceAll(strings.TrimSpace(string(license)), "*/", "* /")
	return fmt.Sprintf("/*! This bundle includes uPlot %s:\n%s\n*/", pkg.Version, text), nil
}
