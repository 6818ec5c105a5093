package env

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME [NAME...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more environments",
		Long: `Remove environments. The environment's label is taken off its nodes; the nodes stay in
the swarm. An environment that still has stacks deployed into it is not removed.`,
		Example: "  docker exos env rm qa",
		Args:    cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
}

func runRemove(ctx context.Context, dockerCLI command.Cli, names []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), names, func(name string) error {
		if err := mgr.RemoveEnvironment(ctx, name); err != nil {
			return fmt.Errorf("failed to remove environment %s: %w", name, err)
		}
		return nil
	})
}
