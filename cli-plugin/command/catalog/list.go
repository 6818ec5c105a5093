package catalog

import (
	"context"

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
		Short:   "List catalogs",
		Long: `List catalogs, the Library first. ENV is "global" for a catalog every environment
sees. COMMIT and TEMPLATES are those of the last good fetch; ERROR says why the last
refresh failed ("-" when it did not), in which case the catalog keeps its last good
state.`,
		Example: `  docker exos catalog ls
  docker exos catalog ls -q
  docker exos catalog ls --format json
  docker exos catalog ls --format '{{.Name}} {{.Commit}} {{.Error}}' --no-trunc`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display names")
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate commits and errors")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	catalogs, err := mgr.ListCatalogs(ctx)
	if err != nil {
		return err
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	fctx := formatter.Context{
		Output: dockerCLI.Out(),
		Format: NewFormat(format, options.quiet),
		Trunc:  !options.noTrunc,
	}
	return FormatWrite(fctx, catalogs)
}
