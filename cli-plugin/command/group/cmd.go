// Package group holds `docker exos group ...`: sets of users that roles are given to,
// local or mapped from directory groups.
package group

import (
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// NewGroupCommand returns the `group` command and its subcommands.
func NewGroupCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "group",
		Short: "Manage EXOS groups",
		Long: `Manage groups (global admins only). A group's members are its local members (group
add) and the members of the directory groups it maps (group create --directory-dn): a
directory user's groups are read from the directory at each login. A role given to
@GROUP (` + "`docker exos env member add ENV @GROUP --role ROLE`" + `) is every member's.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newCreateCommand(dockerCLI),
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newMemberCommand(dockerCLI, true),
		newMemberCommand(dockerCLI, false),
		newRemoveCommand(dockerCLI),
	)
	return cmd
}

// groupError says what failed, and for an unknown group where the groups are listed.
func groupError(verb, name string, err error) error {
	if errors.Is(err, api.ErrNotFound) {
		return fmt.Errorf("failed to %s group %s: %w (see `docker exos group ls`, and `docker exos user ls` for the users)", verb, name, err)
	}
	return fmt.Errorf("failed to %s group %s: %w", verb, name, err)
}
