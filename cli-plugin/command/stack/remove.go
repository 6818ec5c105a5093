package stack

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm STACK [STACK...]",
		Aliases: []string{"remove", "down"},
		Short:   "Remove one or more stacks",
		Long: `Remove the stacks' services, networks, configs and secrets. Their revision history is
kept: a stack deployed again under the same name continues its numbering.`,
		Example: "  docker exos stack rm web",
		Args:    cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
}

func runRemove(ctx context.Context, dockerCLI command.Cli, stacks []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range stacks {
		_, _ = fmt.Fprintf(dockerCLI.Out(), "Removing stack %s\n", name)
		if err := mgr.RemoveStack(ctx, name); err != nil {
			errs = append(errs, fmt.Errorf("failed to remove stack %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
