// Command docker-exos is the EXOS Docker CLI plugin: `docker exos ...`.
package main

import (
	"github.com/docker/cli/cli-plugins/plugin"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/command/commands"
)

func main() {
	plugin.Run(commands.NewRootCommand, command.Metadata())
}
