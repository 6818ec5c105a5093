// Command docker-minimal is the least a Docker CLI plugin can be: docker/cli's plugin
// framework and one command that does nothing. BenchmarkReadCommands times `docker
// minimal` as the floor of Docker's plugin mechanism, which every `docker exos` command
// pays before it does anything.
package main

import (
	"github.com/docker/cli/cli-plugins/metadata"
	"github.com/docker/cli/cli-plugins/plugin"
	"github.com/docker/cli/cli/command"
	"github.com/spf13/cobra"
)

func main() {
	plugin.Run(func(command.Cli) *cobra.Command {
		return &cobra.Command{Use: "minimal", RunE: func(*cobra.Command, []string) error { return nil }}
	}, metadata.Metadata{SchemaVersion: "0.1.0", Vendor: "EXOS tests", Version: "1"})
}
