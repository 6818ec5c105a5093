package env

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
		Short: "Display detailed information on one or more environments",
		Example: `  docker exos env inspect prod
  docker exos env inspect --format '{{join .Nodes ","}}' prod`,
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
		env, err := mgr.InspectEnvironment(ctx, name)
		return env, nil, err
	})
}
