package group

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// newMemberCommand returns `group add` (add) or `group remove`.
func newMemberCommand(dockerCLI command.Cli, add bool) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add GROUP USER [USER...]",
		Short: "Add local members to a group",
		Example: `  docker exos group add devs alice
  docker exos group add devs alice bob`,
		Args: cli.RequiresMinArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMember(cmd.Context(), dockerCLI, add, args[0], args[1:])
		},
	}
	if !add {
		cmd.Use = "remove GROUP USER [USER...]"
		cmd.Short = "Take local members out of a group"
		cmd.Long = `Take local members out of a group. Members through a directory group stay members
until the directory says otherwise.`
		cmd.Example = "  docker exos group remove devs bob"
	}
	return cmd
}

func runMember(ctx context.Context, dockerCLI command.Cli, add bool, group string, users []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, user := range users {
		verb, change := "add "+user+" to", mgr.AddGroupMember
		if !add {
			verb, change = "remove "+user+" from", mgr.RemoveGroupMember
		}
		if _, err := change(ctx, group, user); err != nil {
			errs = append(errs, groupError(verb, group, err))
			continue
		}
		_, _ = fmt.Fprintln(dockerCLI.Out(), user)
	}
	return errors.Join(errs...)
}
