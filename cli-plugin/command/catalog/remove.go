package catalog

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
		Short:   "Remove one or more catalogs",
		Long: `Remove catalogs: their templates are no longer listed or deployable. Stacks already
deployed from them keep running and keep their revisions.`,
		Example: `  docker exos catalog rm community
  docker exos catalog rm qa-apps old-apps`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
}

// runRemove removes every catalog it can, prints each one removed, and reports the
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
		if err := mgr.RemoveCatalog(ctx, name); err != nil {
			return fmt.Errorf("failed to remove catalog %s: %w", name, err)
		}
		return nil
	})
}
