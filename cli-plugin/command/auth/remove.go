package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm",
		Aliases: []string{"remove"},
		Short:   "Turn directory login off",
		Long: `Remove the directory settings: directory users can no longer log in (their API tokens
and sessions are not touched). Local users are not affected.`,
		Example: "  docker exos auth ldap rm",
		Args:    cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI)
		},
	}
}

func runRemove(ctx context.Context, dockerCLI command.Cli) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	if err := mgr.RemoveLDAPSettings(ctx); err != nil {
		if errors.Is(err, api.ErrNotFound) {
			return errNotSet
		}
		return fmt.Errorf("failed to remove the directory settings: %w", err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), "Directory login turned off")
	return nil
}
