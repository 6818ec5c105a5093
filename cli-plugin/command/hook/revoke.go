package hook

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRevokeCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke HOOK [HOOK...]",
		Short: "Revoke hooks: their tokens stop working, the hooks stay listed with their history",
		Long: `Revoke hooks: their tokens stop working at once, and every call is answered 401, as for
a hook that does not exist. Unlike ` + "`docker exos hook rm`" + `, a revoked hook stays listed
(KIND says "revoked"), with its history, and cannot be rotated: create a new hook. HOOK
is a hook ID or a unique prefix of one.`,
		Example: `  docker exos hook revoke 3f2a9c1e
  docker exos hook revoke 3f2a9c1e 9b8c7d6e`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRevoke(cmd.Context(), dockerCLI, args)
		},
	}
}

// runRevoke revokes every hook it can, prints each one revoked, and reports the others
// together, as rm does.
func runRevoke(ctx context.Context, dockerCLI command.Cli, ids []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), ids, func(id string) error {
		if _, err := mgr.RevokeHook(ctx, id); err != nil {
			return fmt.Errorf("failed to revoke hook %s: %w", id, err)
		}
		return nil
	})
}
