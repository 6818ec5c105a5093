// Command exos-cli is the whole `docker exos` command tree on docker/cli's plugin
// framework. Docker runs docker-exos (package main of cli-plugin), which serves the
// reads it can at once and runs this, installed beside it, for everything else.
package main

import (
	"github.com/docker/cli/cli-plugins/plugin"
	"github.com/exos-platform/exos/cli-plugin/about"
	"github.com/exos-platform/exos/cli-plugin/command/commands"
)

func main() {
	plugin.Run(commands.NewRootCommand, about.Metadata())
}
