package token

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRevokeCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "revoke ID [ID...]",
		Aliases: []string{"rm"},
		Short:   "Revoke one or more API tokens",
		Long:    "Revoke API tokens by ID (see `docker exos token ls`): they stop working at once. Global admins may revoke anyone's.",
		Example: `  docker exos token revoke 3f9a1c
  docker exos token revoke $(docker exos token ls -q)`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRevoke(cmd.Context(), dockerCLI, args)
		},
	}
}

func runRevoke(ctx context.Context, dockerCLI command.Cli, ids []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), ids, func(id string) error {
		if err := mgr.RevokeToken(ctx, id); err != nil {
			return tokenError("revoke", id, err)
		}
		return nil
	})
}
