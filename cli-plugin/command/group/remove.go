package group

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME [NAME...]",
		Short:   "Remove one or more groups",
		Long:    "Remove groups and the roles given to them. Their members, users in their own right, stay.",
		Example: "  docker exos group rm devs",
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
		if err := mgr.RemoveGroup(ctx, name); err != nil {
			return groupError("remove", name, err)
		}
		return nil
	})
}
