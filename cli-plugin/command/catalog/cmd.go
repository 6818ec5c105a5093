// Package catalog holds `docker exos catalog ...`: the Git repositories of application
// templates the manager reads (the embedded Library and any catalog added), global or
// scoped to one environment. The templates themselves are browsed with
// `docker exos template ...`.
package catalog

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewCatalogCommand returns the `catalog` command and its subcommands.
func NewCatalogCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Manage catalogs (Git repositories of application templates)",
		Long: `Manage catalogs.

A catalog is a Git repository (URL and branch) of application templates laid out as
Rancher catalogs are: templates/<name>/config.yml and one folder per version. The manager
fetches it, reads its templates and keeps the last good state when a refresh fails.
The Library catalog ships with EXOS and works offline. A catalog is global (every
environment sees it) or scoped to one environment. Browse the templates with
` + "`docker exos template ls`" + `, and deploy one as a stack with ` + "`docker exos catalog deploy`" + `.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newAddCommand(dockerCLI),
		newDeployCommand(dockerCLI),
		newListCommand(dockerCLI),
		newRefreshCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
	)
	return cmd
}
