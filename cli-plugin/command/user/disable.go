package user

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// newDisableCommand returns `user disable` (disable) or `user enable`.
func newDisableCommand(dockerCLI command.Cli, disable bool) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "enable NAME [NAME...]",
		Short: "Enable one or more disabled users",
		Long:  "Enable users again: they can log in, and their API tokens that have not expired work again.",
		Example: `  docker exos user enable alice
  docker exos user enable alice bob`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDisable(cmd.Context(), dockerCLI, disable, args)
		},
	}
	if disable {
		cmd.Use = "disable NAME [NAME...]"
		cmd.Short = "Disable one or more users"
		cmd.Long = `Disable users: their sessions end at once, their API tokens stop working and they
cannot log in, until ` + "`docker exos user enable`" + `. Nothing else of theirs changes: roles,
groups and tokens stay.`
		cmd.Example = `  docker exos user disable alice
  docker exos user disable alice bob`
	}
	return cmd
}

func runDisable(ctx context.Context, dockerCLI command.Cli, disable bool, names []string) error {
	verb := "enable"
	if disable {
		verb = "disable"
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), names, func(name string) error {
		if _, err := mgr.SetUserDisabled(ctx, name, disable); err != nil {
			return userError(verb, name, err)
		}
		return nil
	})
}
