package group

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/inspect"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type inspectOptions struct {
	format string
}

func newInspectCommand(dockerCLI command.Cli) *cobra.Command {
	options := inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect [OPTIONS] NAME [NAME...]",
		Short: "Display detailed information on one or more groups",
		Example: `  docker exos group inspect devs
  docker exos group inspect --format '{{join .Members ","}}' devs ops`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), dockerCLI, options, args)
		},
	}
	cmd.Flags().StringVarP(&options.format, "format", "f", "", flagsHelper.InspectFormatHelp)
	return cmd
}

func runInspect(ctx context.Context, dockerCLI command.Cli, options inspectOptions, names []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return inspect.Inspect(dockerCLI.Out(), names, options.format, func(name string) (any, []byte, error) {
		g, err := mgr.InspectGroup(ctx, name)
		if err != nil {
			return nil, nil, groupError("inspect", name, err)
		}
		return g, nil, nil
	})
}
