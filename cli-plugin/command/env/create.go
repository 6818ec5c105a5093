package env

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type createOptions struct {
	description string
}

func newCreateCommand(dockerCLI command.Cli) *cobra.Command {
	options := createOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS] NAME",
		Short: "Create an environment",
		Long:  "Create an environment with no nodes. Add nodes to it with `docker exos env add-node`.",
		Example: `  docker exos env create qa --description "Quality assurance"
  docker exos env add-node qa node2 node3`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreate(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	cmd.Flags().StringVar(&options.description, "description", "", "What the environment is for")
	return cmd
}

func runCreate(ctx context.Context, dockerCLI command.Cli, options createOptions, name string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	env, err := mgr.CreateEnvironment(ctx, api.EnvironmentCreateRequest{Name: name, Description: options.description})
	if err != nil {
		return fmt.Errorf("failed to create environment %s: %w", name, err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), env.Name)
	return nil
}
