package catalog

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

func newRefreshCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "refresh [NAME]",
		Short: "Fetch catalogs again",
		Long: `Fetch a catalog again, or every catalog when NAME is omitted, and print one line per
catalog: the commit it is now at and its number of templates, followed by the templates
that could not be read; or why the fetch failed, in which case the catalog keeps its
last good state. The command fails (exit status 1) when any fetch failed.`,
		Example: `  docker exos catalog refresh
  docker exos catalog refresh community`,
		Args: cli.RequiresMaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return runRefresh(cmd.Context(), dockerCLI, name)
		},
	}
}

func runRefresh(ctx context.Context, dockerCLI command.Cli, name string) error {
	if name != "" {
		if err := validateName(name); err != nil {
			return err
		}
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	catalogs, err := mgr.RefreshCatalog(ctx, name)
	if err != nil {
		if name == "" {
			return fmt.Errorf("failed to refresh the catalogs: %w", err)
		}
		return fmt.Errorf("failed to refresh catalog %s: %w", name, err)
	}
	failed, err := writeRefreshed(dockerCLI.Out(), catalogs)
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return cli.StatusError{StatusCode: 1, Status: "failed to refresh " + strings.Join(failed, ", ") +
			": fix the repository or its URL (docker exos catalog rm, then add), then refresh again"}
	}
	return nil
}

// writeRefreshed prints one line per catalog and returns the names of those that failed.
func writeRefreshed(out io.Writer, catalogs []api.Catalog) ([]string, error) {
	var failed []string
	for _, c := range catalogs {
		if c.Error != "" {
			failed = append(failed, c.Name)
			if _, err := fmt.Fprintf(out, "%s: failed (%s): %s\n", c.Name, keptState(c), indent(c.Error)); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := fmt.Fprintf(out, "%s: refreshed to commit %s, %s\n", c.Name, command.ShortCommit(c.Commit), templates(c.Templates)); err != nil {
			return nil, err
		}
		if err := writeProblems(out, c.Problems); err != nil {
			return nil, err
		}
	}
	return failed, nil
}

// keptState says what a catalog whose refresh failed still offers.
func keptState(c api.Catalog) string {
	if c.Commit == "" {
		return "never fetched"
	}
	return "still at commit " + command.ShortCommit(c.Commit)
}

// indent keeps a multi-line Git error under its catalog's line.
func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
