package stack

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type setImageOptions struct {
	guarded bool
	wait    bool
	timeout time.Duration
}

func newSetImageCommand(dockerCLI command.Cli) *cobra.Command {
	options := setImageOptions{}
	cmd := &cobra.Command{
		Use:   "set-image [OPTIONS] STACK SERVICE IMAGE[:TAG|@DIGEST]",
		Short: "Deploy one service of a stack at another image, as a new revision",
		Long: `Deploy one service of a stack at another image: a new revision made of the files of
the stack's latest applied revision, with that service's image replaced. The revision
records it, so history shows it, diff compares it and rollback undoes it; a later
` + "`stack deploy`" + ` of files deploys what the files name again.

A tag of a registry EXOS knows (` + "`docker exos registry ls`" + `) is resolved to its digest
now, and the service is deployed at repo:tag@sha256:..., with the registry's credentials
passed to Swarm so every node can pull it. If the service already runs that digest,
nothing is deployed. --guarded makes the update start-first and roll back on failure,
watching new tasks for as long as their healthcheck needs.

With --wait, the command shows the services' replicas until the update has converged,
and fails (exit code 1) if it fails, is rolled back, or --timeout passes.`,
		Example: `  docker exos stack set-image shop web registry.example.com:5000/shop/web:1.4.2
  docker exos stack set-image --wait shop web registry.example.com:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  docker exos stack set-image --guarded --wait --timeout 10m shop web registry.example.com:5000/shop/web:1.5.0`,
		Args: cli.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSetImage(cmd.Context(), dockerCLI, options, args[0], args[1], args[2])
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&options.guarded, "guarded", false, "Update start-first, roll back on failure, and monitor for the healthcheck's window")
	flags.BoolVar(&options.wait, "wait", false, "Wait until the stack runs the new image")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runSetImage(ctx context.Context, dockerCLI command.Cli, options setImageOptions, stack, service, image string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	since := time.Now()
	res, err := mgr.SetStackImage(ctx, stack, api.SetImageRequest{Service: service, Image: image, Guarded: options.guarded})
	if err != nil {
		return fmt.Errorf("failed to set the image of service %s of stack %s: %w", service, stack, err)
	}
	if res.Unchanged {
		_, _ = fmt.Fprintf(dockerCLI.Out(), "Service %s of stack %s already runs %s: nothing deployed (revision %d stays)\n", service, stack, res.Image, res.Revision)
		return nil
	}
	PrintResult(dockerCLI.Out(), "deployed", res.DeployResult)
	_, _ = fmt.Fprintf(dockerCLI.Out(), "Image of %s: %s\n", service, res.Image)
	if !options.wait {
		return nil
	}
	return Wait(ctx, dockerCLI.Out(), mgr, res.DeployResult, since, options.timeout)
}
