package hook

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm HOOK [HOOK...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more hooks",
		Long: `Remove hooks: their URLs stop working at once. HOOK is a hook ID or a unique prefix
of one.`,
		Example: `  docker exos hook rm 3f2a9c1e
  docker exos hook rm $(docker exos hook ls -q)`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
}

// runRemove removes every hook it can, prints each one removed, and reports the others
// together, as docker rm does.
func runRemove(ctx context.Context, dockerCLI command.Cli, ids []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), ids, func(id string) error {
		if err := mgr.RemoveHook(ctx, id); err != nil {
			return fmt.Errorf("failed to remove hook %s: %w", id, err)
		}
		return nil
	})
}
