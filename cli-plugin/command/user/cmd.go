// Package user holds `docker exos user ...`: the manager's users, local (a password the
// manager keeps, hashed) or from the directory (LDAP checks the password).
package user

import (
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// NewUserCommand returns the `user` command and its subcommands.
func NewUserCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage EXOS users",
		Long: `Manage the users of the EXOS manager (global admins only, except user passwd for
one's own password).

A user is local (the manager keeps its password, hashed with argon2id) or a directory
user (the LDAP directory set with ` + "`docker exos auth ldap set`" + ` checks its password).
What a user may do is its roles: global admin (--admin), or owner, member or read-only in
environments (` + "`docker exos env member add`" + `), its own and its groups'.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newCreateCommand(dockerCLI),
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newDisableCommand(dockerCLI, true),
		newDisableCommand(dockerCLI, false),
		newRemoveCommand(dockerCLI),
		newPasswdCommand(dockerCLI),
	)
	return cmd
}

// userError says what failed, and for an unknown user where the users are listed.
func userError(verb, name string, err error) error {
	if errors.Is(err, api.ErrNotFound) {
		return fmt.Errorf("failed to %s user %s: %w (see `docker exos user ls`)", verb, name, err)
	}
	return fmt.Errorf("failed to %s user %s: %w", verb, name, err)
}
