package hook

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
		Use:   "inspect [OPTIONS] HOOK [HOOK...]",
		Short: "Display detailed information on one or more hooks",
		Long: `Display detailed information on hooks, as a JSON array by default. HOOK is a hook ID
or a unique prefix of one. Tokens are never shown: the manager keeps only their hash.
rejectedDeliveries counts the deliveries refused for a bad or missing token since the
manager started.`,
		Example: `  docker exos hook inspect 3f2a9c1e
  docker exos hook inspect --format '{{.Action}} {{join .Services ","}}' 3f2a9c1e`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), dockerCLI, options, args)
		},
	}
	cmd.Flags().StringVarP(&options.format, "format", "f", "", flagsHelper.InspectFormatHelp)
	return cmd
}

func runInspect(ctx context.Context, dockerCLI command.Cli, options inspectOptions, ids []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return inspect.Inspect(dockerCLI.Out(), ids, options.format, func(id string) (any, []byte, error) {
		h, err := mgr.InspectHook(ctx, id)
		return h, nil, err
	})
}
