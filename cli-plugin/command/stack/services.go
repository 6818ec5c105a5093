package stack

import (
	"context"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/opts"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/fvbommel/sortorder"
	"github.com/spf13/cobra"
)

type servicesOptions struct {
	list   listOptions
	filter opts.FilterOpt
}

func newServicesCommand(dockerCLI command.Cli) *cobra.Command {
	options := servicesOptions{filter: opts.NewFilterOpt()}
	cmd := &cobra.Command{
		Use:   "services [OPTIONS] STACK",
		Short: "List the services in a stack",
		Long: `List the services in a stack, like ` + "`docker stack services`" + `.

--filter takes docker stack services's keys: id and name (a prefix), label (a key or
key=value) and mode (replicated, global, replicated-job, global-job).`,
		Example: `  docker exos stack services web
  docker exos stack services --filter label=tier=front web
  docker exos stack services --format '{{.Name}} {{.Replicas}}' web
  docker exos stack services -q web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServices(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options.list, "Only display IDs")
	cmd.Flags().VarP(&options.filter, "filter", "f", "Filter output based on conditions provided")
	return cmd
}

func runServices(ctx context.Context, dockerCLI command.Cli, options servicesOptions, stack string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	services, _, err := mgr.StackServices(ctx, stack, api.QueryOptions{})
	if err != nil {
		return err
	}
	if services, err = filterServices(options.filter.Value(), services); err != nil {
		return err
	}
	sort.Slice(services, func(i, j int) bool { return sortorder.NaturalLess(services[i].Name, services[j].Name) })
	return ServiceWrite(formatContext(dockerCLI, options.list, newServiceFormat), services)
}
