package registry

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type reposOptions struct {
	pageOptions
	quiet  bool
	format string
}

func newReposCommand(dockerCLI command.Cli) *cobra.Command {
	options := reposOptions{}
	cmd := &cobra.Command{
		Use:   "repos [OPTIONS] NAME",
		Short: "List the repositories of a registry",
		Long: `List the repositories of registry NAME (its catalog), in name order, as the manager
reads them with the registry's credentials: the first 100 unless --limit or --all says
otherwise; --after starts after a repository (the last of the previous page).`,
		Example: `  docker exos registry repos ci
  docker exos registry repos ci --limit 20 --after team/api
  docker exos registry repos ci --all -q`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRepos(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	options.addFlags(flags, "repositories")
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display names")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runRepos(ctx context.Context, dockerCLI command.Cli, options reposOptions, name string) error {
	if err := validateName(name); err != nil {
		return err
	}
	if err := options.check(); err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	repos, next, err := collect(options.pageOptions, func(p api.BrowsePage) ([]api.RegistryRepository, string, error) {
		return mgr.RegistryRepositories(ctx, name, p)
	})
	if err != nil {
		return fmt.Errorf("failed to list the repositories of registry %s: %w", name, err)
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	if err := FormatWriteRepos(formatter.Context{Output: dockerCLI.Out(), Format: NewReposFormat(format, options.quiet)}, repos); err != nil {
		return err
	}
	writeMore(dockerCLI.Err(), "repositories", next)
	return nil
}
