package stack

import (
	"context"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newHistoryCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:   "history [OPTIONS] STACK",
		Short: "Show the revisions of a stack",
		Long: `Show every recorded deploy of a stack, newest first: when, by whom, into which
environment, with which images, and which revision a rollback redeployed.`,
		Example: `  docker exos stack history web
  docker exos stack history -q web | head -2
  docker exos stack rollback --to 3 web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options, "Only display revision numbers")
	return cmd
}

func runHistory(ctx context.Context, dockerCLI command.Cli, options listOptions, stack string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	revs, err := mgr.StackHistory(ctx, stack)
	if err != nil {
		return err
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Number > revs[j].Number })
	return HistoryWrite(formatContext(dockerCLI, options, newHistoryFormat), revs)
}
