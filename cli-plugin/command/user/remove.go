package user

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME [NAME...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more users",
		Long: `Remove users with their sessions, API tokens, group memberships and roles. What they
deployed stays, and revisions and the audit log keep their names. To keep a user's
tokens and roles for later, disable it instead.`,
		Example: "  docker exos user rm alice",
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
		if err := mgr.RemoveUser(ctx, name); err != nil {
			return userError("remove", name, err)
		}
		return nil
	})
}
