package stack

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/spf13/cobra"
)

// listOptions are the flags of every list command here.
type listOptions struct {
	quiet  bool
	format string
}

// stackListOptions are stack ls's flags.
type stackListOptions struct {
	listOptions
	all bool
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := stackListOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List stacks",
		Long: `List the stacks on the swarm, EXOS-deployed or not (stacks deployed with
` + "`docker stack deploy`" + ` show revision "-").

STATE is the latest revision's: pending (being deployed), applied, or failed (see
` + "`docker exos stack history`" + ` for why). DRIFT counts the services that differ from what
EXOS last applied because someone changed them natively (` + "`docker service update`" + `,
` + "`docker service rm`" + `, ` + "`docker stack deploy`" + `...): EXOS never reverts them; ` + "`stack inspect`" + `
names the services and fields, and a deploy or a rollback applies the files again.

With --all, stacks whose services are all gone (removed by ` + "`stack rm`" + `, EXOS's or docker's)
are listed too, as removed: their history is kept, and a deploy or a rollback brings them
back.

TEMPLATE is the catalog template a stack was deployed from (empty for compose files), and
UPGRADE the newest version of it the stack may upgrade to with ` + "`docker exos stack upgrade`" + `.`,
		Example: `  docker exos stack ls
  docker exos stack ls --all
  docker exos stack ls --format json
  docker exos stack ls --format '{{.Name}} rev {{.Revision}}'
  docker exos stack ls --format '{{.Name}} {{.Template}} {{.Upgrade}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	addListFlags(cmd, &options.listOptions, "Only display stack names")
	cmd.Flags().BoolVarP(&options.all, "all", "a", false, "Show removed stacks too")
	return cmd
}

func addListFlags(cmd *cobra.Command, options *listOptions, quietHelp string) {
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, quietHelp)
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
}

func runList(ctx context.Context, dockerCLI command.Cli, options stackListOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	stacks, err := mgr.ListStacks(ctx)
	if err != nil {
		return err
	}
	return listing.WriteStacks(dockerCLI.Out(), listing.Options{Quiet: options.quiet, Format: options.format}, stacks, options.all)
}

// formatContext builds the formatter context of a list command: table by default.
func formatContext(dockerCLI command.Cli, options listOptions, newFormat func(string, bool) formatter.Format) formatter.Context {
	source := options.format
	if source == "" {
		source = formatter.TableFormatKey
	}
	return formatter.Context{Output: dockerCLI.Out(), Format: newFormat(source, options.quiet), Trunc: true}
}
