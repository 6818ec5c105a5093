package template

import (
	"context"
	"fmt"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type listOptions struct {
	catalog  string
	category string
	env      string
	quiet    bool
	noTrunc  bool
	format   string
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List templates",
		Long: `List templates by catalog, then name. VERSION is the version deployed when none is
named. DEPLOYABLE says whether that version deploys with its default answers: the
manager renders, loads and converts it exactly as ` + "`docker exos catalog deploy`" + ` does.
REASONS is why not: the table shows the first one, cut, and how many more; --no-trunc
and --format json show every reason in full (file, line, the Rancher feature and what to
do), as ` + "`docker exos template inspect`" + ` does. --env lists what that environment
sees: the global catalogs and its own.`,
		Example: `  docker exos template ls
  docker exos template ls --catalog library --category Databases
  docker exos template ls --env qa -q
  docker exos template ls --format '{{.Name}} {{.Version}}'
  docker exos template ls --catalog community --format json`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.catalog, "catalog", "", "Only list this `catalog`'s templates")
	flags.StringVar(&options.category, "category", "", "Only list templates of this `category` (any case)")
	flags.StringVar(&options.env, "env", "", "Only list the templates this `environment` sees")
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display names (CATALOG/NAME)")
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate descriptions and reasons")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	if strings.ContainsAny(options.catalog, "/:") {
		return fmt.Errorf("invalid --catalog %q: give a catalog's name, such as library; inspect one template with docker exos template inspect CATALOG/NAME", options.catalog)
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	templates, err := mgr.ListTemplates(ctx, options.catalog, options.category, options.env)
	if err != nil {
		return fmt.Errorf("failed to list templates: %w", err)
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	f := NewFormat(format, options.quiet)
	fctx := formatter.Context{
		Output: dockerCLI.Out(),
		Format: f,
		// JSON is for programs: every reason and description in full.
		Trunc: !options.noTrunc && !f.IsJSON(),
	}
	return FormatWrite(fctx, templates)
}
