package stack

import (
	"context"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/fvbommel/sortorder"
	"github.com/spf13/cobra"
)

func newServicesCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:   "services [OPTIONS] STACK",
		Short: "List the services in a stack",
		Example: `  docker exos stack services web
  docker exos stack services --format '{{.Name}} {{.Replicas}}' web
  docker exos stack services -q web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServices(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options, "Only display IDs")
	return cmd
}

func runServices(ctx context.Context, dockerCLI command.Cli, options listOptions, stack string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	services, _, err := mgr.StackServices(ctx, stack, api.QueryOptions{})
	if err != nil {
		return err
	}
	sort.Slice(services, func(i, j int) bool { return sortorder.NaturalLess(services[i].Name, services[j].Name) })
	return ServiceWrite(formatContext(dockerCLI, options, newServiceFormat), services)
}
