package token

import (
	"context"
	"errors"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type listOptions struct {
	user   string
	all    bool
	quiet  bool
	format string
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List API tokens (yours by default)",
		Long:    "List API tokens without their secrets: yours, a user's (--user, global admins), or everyone's you may see (--all).",
		Example: `  docker exos token ls
  docker exos token ls --user alice
  docker exos token ls --all --format json`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.user, "user", "", "List this user's tokens")
	flags.BoolVar(&options.all, "all", false, "List everyone's tokens you may see")
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display IDs")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	if options.all && options.user != "" {
		return errors.New("--all and --user cannot be used together: --all lists every user's tokens")
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	tokens, err := mgr.ListTokens(ctx, api.TokenListOptions{User: options.user, All: options.all})
	if err != nil {
		return err
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	return formatWrite(formatter.Context{Output: dockerCLI.Out(), Format: newFormat(format, options.quiet)}, tokens)
}
