package registry

import (
	"context"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type listOptions struct {
	quiet  bool
	format string
	env    string
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List registries",
		Long: `List the registries you may read: the global ones and those of your environments.
ENV is "(global)" for a global registry. TLS says what the registry's certificate is
checked against: its CA, the system's CAs, or nothing (insecure). Passwords are never
shown; PASSWORD says whether one is kept.`,
		Example: `  docker exos registry ls
  docker exos registry ls -q
  docker exos registry ls --env qa
  docker exos registry ls --format '{{.Name}} {{.URL}} {{.User}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display names")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	flags.StringVar(&options.env, "env", "", "Only the registries of this `environment` (not the global ones)")
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	all, err := mgr.ListRegistries(ctx)
	if err != nil {
		return err
	}
	registries := make([]api.Registry, 0, len(all))
	for _, r := range all {
		if options.env == "" || r.Env == options.env {
			registries = append(registries, r)
		}
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	return FormatWrite(formatter.Context{Output: dockerCLI.Out(), Format: NewFormat(format, options.quiet)}, registries)
}
