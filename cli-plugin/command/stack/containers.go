package stack

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type containersOptions struct {
	list    listOptions
	noTrunc bool
}

func newContainersCommand(dockerCLI command.Cli) *cobra.Command {
	options := containersOptions{}
	cmd := &cobra.Command{
		Use:     "containers [OPTIONS] STACK",
		Aliases: []string{"ps"},
		Short:   "List the containers (Swarm tasks) of a stack",
		Long: `List the containers of a stack: its Swarm tasks with their node, desired and current
state (with the container's health), error and ports, like ` + "`docker stack ps`" + `.`,
		Example: `  docker exos stack containers web
  docker exos stack containers --no-trunc --format json web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runContainers(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options.list, "Only display task IDs")
	cmd.Flags().BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate IDs and errors")
	return cmd
}

func runContainers(ctx context.Context, dockerCLI command.Cli, options containersOptions, stack string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	containers, _, err := mgr.StackContainers(ctx, stack, api.QueryOptions{})
	if err != nil {
		return err
	}
	o := listing.Options{Quiet: options.list.quiet, Format: options.list.format, NoTrunc: options.noTrunc}
	return listing.WriteContainers(dockerCLI.Out(), o, containers)
}
