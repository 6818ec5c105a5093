package env

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

func newAddNodeCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "add-node ENV NODE [NODE...]",
		Short: "Put nodes into an environment",
		Long: `Put nodes (by ID or hostname) into an environment by adding the node label
io.exos.env.<ENV>=true. A node can belong to several environments.`,
		Example: "  docker exos env add-node prod node3 node4",
		Args:    cli.RequiresMinArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAddNode(cmd.Context(), dockerCLI, args[0], args[1:])
		},
	}
}

type removeNodeOptions struct {
	force bool
}

func newRemoveNodeCommand(dockerCLI command.Cli) *cobra.Command {
	options := &removeNodeOptions{}
	cmd := &cobra.Command{
		Use:   "remove-node [OPTIONS] ENV NODE [NODE...]",
		Short: "Take nodes out of an environment",
		Long: `Take nodes out of an environment by removing its node label. Tasks of the
environment's services on those nodes are moved elsewhere by Swarm.

A node that is not a member of the environment is an error and nothing changes. Taking out
the last node of an environment that has stacks is refused, naming the stacks whose tasks
would then stop (no node would match their placement); --force takes it out anyway.`,
		Example: `  docker exos env remove-node prod node4
  docker exos env remove-node --force dev node1`,
		Args: cli.RequiresMinArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemoveNode(cmd.Context(), dockerCLI, options, args[0], args[1:])
		},
	}
	cmd.Flags().BoolVarP(&options.force, "force", "f", false, "Take out the environment's last node even though its stacks stop")
	return cmd
}

func runAddNode(ctx context.Context, dockerCLI command.Cli, env string, nodes []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return forEachNode(dockerCLI, nodes, "add", "Added node %s to environment %s\n", func(node string) (api.Environment, error) {
		return mgr.AddNode(ctx, env, node)
	})
}

func runRemoveNode(ctx context.Context, dockerCLI command.Cli, options *removeNodeOptions, env string, nodes []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return forEachNode(dockerCLI, nodes, "remove", "Removed node %s from environment %s\n", func(node string) (api.Environment, error) {
		return mgr.RemoveNode(ctx, env, node, api.RemoveNodeOptions{Force: options.force})
	})
}

// forEachNode applies change to every node, printing the ones that worked and collecting
// the errors, so one bad name does not stop the others.
func forEachNode(dockerCLI command.Cli, nodes []string, verb, done string, change func(string) (api.Environment, error)) error {
	var errs []error
	for _, node := range nodes {
		env, err := change(node)
		if err != nil {
			errs = append(errs, fmt.Errorf("failed to %s node %s: %w", verb, node, err))
			continue
		}
		_, _ = fmt.Fprintf(dockerCLI.Out(), done, node, env.Name)
	}
	return errors.Join(errs...)
}
