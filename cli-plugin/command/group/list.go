package group

import (
	"context"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type listOptions struct {
	quiet  bool
	format string
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List groups",
		Example: `  docker exos group ls
  docker exos group ls --format json
  docker exos group ls --format '{{.Name}}: {{.Members}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display names")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	groups, err := mgr.ListGroups(ctx)
	if err != nil {
		return err
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	return formatWrite(formatter.Context{Output: dockerCLI.Out(), Format: newFormat(format, options.quiet)}, groups)
}
