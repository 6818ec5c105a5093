// Package auth holds `docker exos auth ...`: how the manager checks passwords beyond its
// own local users; so far directory login over LDAP.
package auth

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewAuthCommand returns the `auth` command and its subcommands.
func NewAuthCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Manage how users log in",
		Args:  cli.NoArgs,
		RunE:  dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(newLDAPCommand(dockerCLI))
	return cmd
}

func newLDAPCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ldap",
		Short: "Manage directory login (LDAP)",
		Long: `Manage directory login (global admins only). With it set, directory users
(` + "`docker exos user create NAME --directory`" + `) log in with their directory password:
the manager searches the directory for the user, binds as the user's entry, and reads its
groups, which map onto EXOS groups (` + "`docker exos group create NAME --directory-dn DN`" + `).
Local users, the admin among them, keep logging in when the directory is down.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newSetCommand(dockerCLI),
		newShowCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
		newTestCommand(dockerCLI),
	)
	return cmd
}
