package hook

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
	quiet   bool
	noTrunc bool
	format  string
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List hooks",
		Long: `List hooks, newest first. SERVICES is "*" for an auto hook that may scale any service
whose autoscale policy allows it; STEP, MIN and MAX are "-" where the service's policy
applies. REJECTED counts the deliveries refused for a bad or missing token since the
manager started; they are counted, not recorded in the hook's history.`,
		Example: `  docker exos hook ls
  docker exos hook ls -q --no-trunc
  docker exos hook ls --format json
  docker exos hook ls --format '{{.ID}} {{.Action}} {{.Services}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display IDs")
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate IDs")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	hooks, err := mgr.ListHooks(ctx)
	if err != nil {
		return err
	}
	sort.SliceStable(hooks, func(i, j int) bool { return hooks[i].CreatedAt.After(hooks[j].CreatedAt) })
	fctx := formatter.Context{
		Output: dockerCLI.Out(),
		Format: NewFormat(formatSource(options.format), options.quiet),
		Trunc:  !options.noTrunc,
	}
	return FormatWrite(fctx, hooks)
}

// formatSource is the --format value, table when none was given.
func formatSource(format string) string {
	if format == "" {
		return formatter.TableFormatKey
	}
	return format
}
