// Package stack holds `docker exos stack ...`: deploying compose stacks through the EXOS
// manager, and viewing them as services, containers and revisions.
package stack

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewStackCommand returns the `stack` command and its subcommands.
func NewStackCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stack",
		Short: "Deploy and manage stacks (compose files + exos-compose.yml)",
		Long: `Deploy and manage stacks.

A stack is a docker-compose.yml (plus an optional exos-compose.yml) deployed as Swarm
services, with the standard com.docker.stack.namespace label: ` + "`docker stack ls/ps/rm`" + `
keep working on EXOS stacks. Every deploy is recorded as a revision that can be listed
(history) and redeployed (rollback). A stack deployed from a catalog template
(` + "`docker exos catalog deploy`" + `) is upgraded to a newer version of it with upgrade.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newDeployCommand(dockerCLI),
		newConfigCommand(dockerCLI),
		newListCommand(dockerCLI),
		newServicesCommand(dockerCLI),
		newContainersCommand(dockerCLI),
		newHistoryCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newRollbackCommand(dockerCLI),
		newSetImageCommand(dockerCLI),
		newDiffCommand(dockerCLI),
		newUpgradeCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
	)
	return cmd
}
