package hook

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type rotateOptions struct {
	format string
}

func newRotateCommand(dockerCLI command.Cli) *cobra.Command {
	options := rotateOptions{}
	cmd := &cobra.Command{
		Use:   "rotate [OPTIONS] HOOK",
		Short: "Replace a hook's token and print the new URL and token",
		Long: `Replace a hook's token. The old token stops working at once: update the tools that
call the hook (Alertmanager's credentials) with the new one, which is shown only now.
HOOK is a hook ID or a unique prefix of one.`,
		Example: `  docker exos hook rotate 3f2a9c1e
  docker exos hook rotate --format '{{.Token}}' 3f2a9c1e > /run/secrets/exos-hook-token`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRotate(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "", secretFormatHelp)
	return cmd
}

func runRotate(ctx context.Context, dockerCLI command.Cli, options rotateOptions, id string) error {
	// As in create: a bad --format must fail before the old token is revoked.
	write, err := newSecretWriter(options.format,
		"Hook %s rotated: the old token no longer works. Keep the new one: it is shown only now.")
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	secret, err := mgr.RotateHook(ctx, id)
	if err != nil {
		return fmt.Errorf("failed to rotate hook %s: %w", id, err)
	}
	return write(dockerCLI.Out(), mgr.BaseURL(), secret)
}
