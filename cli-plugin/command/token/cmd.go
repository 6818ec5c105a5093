// Package token holds `docker exos token ...`: API tokens for automation (CI, scripts),
// each a user's, scoped and expiring.
package token

import (
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// NewTokenCommand returns the `token` command and its subcommands.
func NewTokenCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage API tokens",
		Long: `Manage API tokens: credentials for automation, made by a user for itself. A token
never has more rights than its user, and its scope narrows them further: one environment
(--env), read-only (--read-only). It stops working when it expires, is revoked, or its user
is disabled or removed. The manager keeps only its hash; it is shown once, at creation.

Use a token with EXOS_TOKEN=<token> docker exos ..., or as the bearer token of the HTTP API.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newCreateCommand(dockerCLI),
		newListCommand(dockerCLI),
		newRevokeCommand(dockerCLI),
	)
	return cmd
}

// tokenError says what failed, and for an unknown token where the tokens are listed.
func tokenError(verb, id string, err error) error {
	if errors.Is(err, api.ErrNotFound) {
		return fmt.Errorf("failed to %s token %s: %w (see `docker exos token ls`)", verb, id, err)
	}
	return fmt.Errorf("failed to %s token %s: %w", verb, id, err)
}
