// Package manager holds `docker exos manager ...`: installing the EXOS manager on the
// swarm the current Docker endpoint manages, checking it and removing it.
package manager

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewManagerCommand returns the `manager` command and its subcommands.
func NewManagerCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manager",
		Short: "Install, check and remove the EXOS manager on this swarm",
		Long: `Install, check and remove the EXOS manager.

The manager runs as the Swarm service exos_manager (stack exos) on a manager node of the
swarm that the current Docker endpoint manages (docker context, DOCKER_HOST, -H). The other
commands find it there by themselves; --manager or EXOS_MANAGER override that.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newInstallCommand(dockerCLI),
		newStatusCommand(dockerCLI),
		newCACommand(dockerCLI),
		newUninstallCommand(dockerCLI),
	)
	return cmd
}
