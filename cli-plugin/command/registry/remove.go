package registry

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
		Short:   "Remove one or more registries",
		Long: `Remove registries and the credentials the manager keeps for them. The registries
themselves and their images are not touched; services already running keep their images.`,
		Example: `  docker exos registry rm ci
  docker exos registry rm qa-cache old-hub`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
}

// runRemove removes every registry it can, prints each one removed, and reports the
// others together, as docker rm does.
func runRemove(ctx context.Context, dockerCLI command.Cli, names []string) error {
	for _, name := range names {
		if err := validateName(name); err != nil {
			return err
		}
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), names, func(name string) error {
		if err := mgr.RemoveRegistry(ctx, name); err != nil {
			return fmt.Errorf("failed to remove registry %s: %w", name, err)
		}
		return nil
	})
}
