// Package template holds `docker exos template ...`: browsing the application templates
// of the catalogs the manager reads, and what a version asks before it is deployed.
package template

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewTemplateCommand returns the `template` command and its subcommands.
func NewTemplateCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "template",
		Short: "Browse the catalogs' application templates",
		Long: `Browse application templates. A template is named CATALOG/NAME (library/mysql) and
has versions, each a compose file with questions whose answers fill it in. A version
that uses what Swarm cannot run is listed but cannot be deployed. Catalogs are managed
with ` + "`docker exos catalog`" + `.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
	)
	return cmd
}
