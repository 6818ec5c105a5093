// Command docker-exos is the EXOS Docker CLI plugin: `docker exos ...`.
//
// It is a launcher. Docker starts a plugin twice for every command (once to ask for its
// metadata, once to run it), and a Go program pays the init of everything it links each
// time: the full command tree (docker/cli's framework, the compose loader) costs about
// 10 ms of a 20 ms `docker stack ls` that way. So this binary links only what answers
// Docker's metadata question and what serves the frequent reads (package fastpath), and
// hands every other command, whole, to exos-cli installed beside it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/docker/cli/cli-plugins/metadata"
	"github.com/exos-platform/exos/cli-plugin/about"
	"github.com/exos-platform/exos/cli-plugin/fastpath"
)

// fullCLI is the file name of the full command tree, beside this binary. It must not
// start with "docker-", or Docker would take it for a plugin of its own.
const fullCLI = "exos-cli"

func main() {
	if len(os.Args) == 2 && os.Args[1] == metadata.MetadataSubcommandName {
		printMetadata()
		return
	}
	served, err := fastpath.Serve(os.Args[1:], os.Getenv, os.Stdout)
	switch {
	case !served:
		runFullCLI()
	case err != nil: // as docker/cli's plugin.Run prints a command's error
		_, _ = fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// printMetadata answers Docker's question for the plugin's metadata; the output is
// plugin.Run's, byte for byte (main_test.go).
func printMetadata() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "     ")
	if err := enc.Encode(about.Metadata()); err != nil {
		fail(err.Error())
	}
}

// runFullCLI replaces this process with exos-cli, with the same arguments and
// environment: to Docker and to the user it is the same plugin process.
func runFullCLI() {
	self, err := os.Executable()
	if err != nil {
		fail("cannot find where docker-exos is installed: " + err.Error())
	}
	full := filepath.Join(filepath.Dir(self), fullCLI)
	err = syscall.Exec(full, append([]string{os.Args[0]}, os.Args[1:]...), os.Environ())
	fail(fmt.Sprintf("the EXOS plugin is incomplete: cannot run %s (%v): it is installed beside docker-exos; "+
		"install both files again (`make install-plugin` does)", full, err))
}

func fail(msg string) {
	_, _ = fmt.Fprintln(os.Stderr, "docker exos:", msg)
	os.Exit(1)
}
