package stack

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
		Use:   "inspect [OPTIONS] STACK [STACK...]",
		Short: "Display detailed information on one or more stacks",
		Long: `Display a stack with its services, networks, configs and secrets, as JSON (an array,
like docker inspect) or through a Go template.`,
		Example: `  docker exos stack inspect web
  docker exos stack inspect --format '{{.Revision}}' web
  docker exos stack inspect --format '{{range .Services}}{{.Name}} {{end}}' web`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), dockerCLI, options, args)
		},
	}
	cmd.Flags().StringVarP(&options.format, "format", "f", "", flagsHelper.InspectFormatHelp)
	return cmd
}

func runInspect(ctx context.Context, dockerCLI command.Cli, options inspectOptions, stacks []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return inspect.Inspect(dockerCLI.Out(), stacks, options.format, func(name string) (any, []byte, error) {
		detail, err := mgr.InspectStack(ctx, name)
		return detail, nil, err
	})
}
