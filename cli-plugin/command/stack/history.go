package stack

import (
	"context"
	"errors"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type historyOptions struct {
	listOptions
	scaling bool
}

func newHistoryCommand(dockerCLI command.Cli) *cobra.Command {
	options := historyOptions{}
	cmd := &cobra.Command{
		Use:   "history [OPTIONS] STACK",
		Short: "Show the revisions of a stack",
		Long: `Show every recorded deploy of a stack, newest first: when, by whom, into which
environment, with which images, and which revision a rollback redeployed.

Below the revisions, the default table also lists the latest scaling steps that hooks
took on the stack's services (applied or dry-run), oldest first, times in UTC. --scaling
shows every scale decision on the stack instead of the revisions, including those that
changed nothing (clamped, cooldown, duplicate...). With -q or --format, and without
--scaling, only the revisions are written, so scripts read one kind of row.`,
		Example: `  docker exos stack history web
  docker exos stack history -q web | head -2
  docker exos stack history --scaling web
  docker exos stack history --scaling --format json web
  docker exos stack rollback --to 3 web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options.listOptions, "Only display revision numbers")
	cmd.Flags().BoolVar(&options.scaling, "scaling", false, "Show the stack's scale decisions instead of its revisions")
	return cmd
}

func runHistory(ctx context.Context, dockerCLI command.Cli, options historyOptions, stack string) error {
	if options.scaling && options.quiet {
		return errors.New("--quiet cannot be used with --scaling: scale decisions have no number; use --format instead")
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	if options.scaling {
		return writeScaling(ctx, dockerCLI, mgr, options.listOptions, stack)
	}
	revs, err := mgr.StackHistory(ctx, stack)
	if err != nil {
		return err
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Number > revs[j].Number })
	if err := HistoryWrite(formatContext(dockerCLI, options.listOptions, newHistoryFormat), revs); err != nil {
		return err
	}
	if options.quiet || (options.format != "" && options.format != formatter.TableFormatKey) {
		return nil
	}
	return writeScalingSteps(ctx, dockerCLI, mgr, stack)
}
