// Package env holds `docker exos env ...`: environments (Dev, QA, Prod...) and the nodes
// that belong to them.
package env

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewEnvCommand returns the `env` command and its subcommands.
func NewEnvCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Manage environments (Dev, QA, Prod...) and their nodes",
		Long: `Manage environments.

An environment is a named set of swarm nodes. A node belongs to an environment when it
carries the node label io.exos.env.<name>=true, so a node can be shared by several
environments. Every service deployed into an environment (stack deploy --env) is placed on
its nodes by a placement constraint, so Swarm itself keeps environments apart.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newCreateCommand(dockerCLI),
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
		newAddNodeCommand(dockerCLI),
		newRemoveNodeCommand(dockerCLI),
		newMemberCommand(dockerCLI),
	)
	return cmd
}
