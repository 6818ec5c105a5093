package stack

import (
	"context"
	"slices"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/opts"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type containersOptions struct {
	list      listOptions
	noTrunc   bool
	noResolve bool
	filter    opts.FilterOpt
}

func newContainersCommand(dockerCLI command.Cli) *cobra.Command {
	options := containersOptions{filter: opts.NewFilterOpt()}
	cmd := &cobra.Command{
		Use:     "containers [OPTIONS] STACK",
		Aliases: []string{"ps"},
		Short:   "List the containers (Swarm tasks) of a stack",
		Long: `List the containers of a stack: its Swarm tasks with their node, desired and current
state (with the container's health), error and ports, like ` + "`docker stack ps`" + `.

--filter takes docker stack ps's keys: id and name (a prefix), node (a hostname, an ID or
an ID's prefix), service (a service's name) and desired-state (running, shutdown,
accepted...). Several values of one key match any of them; several keys must all match.`,
		Example: `  docker exos stack containers web
  docker exos stack containers --filter desired-state=running web
  docker exos stack containers --no-trunc --format json web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runContainers(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	addListFlags(cmd, &options.list, "Only display task IDs")
	flags := cmd.Flags()
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate IDs and errors")
	flags.BoolVar(&options.noResolve, "no-resolve", false, "Do not map IDs to Names")
	flags.VarP(&options.filter, "filter", "f", "Filter output based on conditions provided")
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
	if containers, err = filterContainers(options.filter.Value(), containers); err != nil {
		return err
	}
	if options.noResolve {
		containers = unresolved(containers)
	}
	o := listing.Options{Quiet: options.list.quiet, Format: options.list.format, NoTrunc: options.noTrunc}
	return listing.WriteContainers(dockerCLI.Out(), o, containers)
}

// unresolved shows containers as docker stack ps --no-resolve does: by the IDs of their
// service (in the task's name) and node.
func unresolved(containers []api.Container) []api.Container {
	out := slices.Clone(containers)
	for i := range out {
		c := &out[i]
		if c.ServiceID != "" {
			c.Name = c.ServiceID + strings.TrimPrefix(c.Name, c.Service)
		}
		c.Node = c.NodeID
	}
	return out
}
