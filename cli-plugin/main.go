// Command docker-exos is the EXOS Docker CLI plugin: `docker exos ...`.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/docker/cli/cli-plugins/metadata"
	"github.com/docker/cli/cli-plugins/plugin"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/command/commands"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == metadata.MetadataSubcommandName {
		printMetadata()
		return
	}
	plugin.Run(commands.NewRootCommand, command.Metadata())
}

// printMetadata answers Docker's question for the plugin's metadata, which it asks before
// every `docker exos` command, without building the Docker CLI and the command tree that
// plugin.Run builds first; the output is plugin.Run's, byte for byte.
func printMetadata() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "     ")
	if err := enc.Encode(command.Metadata()); err != nil {
		_, _ = fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
