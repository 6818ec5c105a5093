// Package dashboard holds `docker exos dashboard`: the bird's-eye view of what the caller
// may see (counters, what needs someone and why, the busiest containers, the host
// timeline), printed once or live in the terminal with --watch.
package dashboard

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

const formatHelp = `Format output using a custom template:
'table':            Print the view as tables (default)
'json':             Print the dashboard document in JSON format
'TEMPLATE':         Print output using the given Go template on the document's fields`

type options struct {
	env    string
	format string
	watch  bool
}

// NewDashboardCommand returns the `dashboard` command.
func NewDashboardCommand(dockerCLI command.Cli) *cobra.Command {
	options := options{}
	cmd := &cobra.Command{
		Use:   "dashboard [OPTIONS]",
		Short: "Show what needs attention across environments and hosts",
		Long: `Show the bird's-eye view of what you may see: counters (environments, hosts by state,
volumes, registries, stacks, services, containers), the five environments most in need
of intervention and the five hosts most in need of attention with the reasons behind
their score, the containers using the most CPU and memory, and every host's states over
the last 24 hours (one character per 30 minutes, oldest first).

--watch shows the same view live and full-screen, updated as the manager sends changes,
with each top container's last minutes as a sparkline. Keys: e or tab shows the next
environment (all, then each environment you see), shift+tab the previous one, q or
ctrl-c quits.

--format json prints the dashboard document as the API returns it, and a Go template sees
its fields (.Counters.Hosts.Down, .Environments, .Hosts, .TopCPU, .TopMemory, .Timeline).`,
		Example: `  docker exos dashboard
  docker exos dashboard --env prod
  docker exos dashboard --watch
  docker exos dashboard --watch --env qa
  docker exos dashboard --format json
  docker exos dashboard --format '{{.Counters.Hosts.Down}} down, {{.Counters.Containers.Failing}} failing'
  docker exos dashboard --format '{{range .Hosts}}{{.Name}} {{.Score}}{{println}}{{end}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDashboard(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.env, "env", "", "Only this `environment` (default: all you see)")
	flags.StringVar(&options.format, "format", "", formatHelp)
	flags.BoolVarP(&options.watch, "watch", "w", false, "Show the view live, full-screen, until q is pressed")
	cmd.MarkFlagsMutuallyExclusive("watch", "format")
	return cmd
}

func runDashboard(ctx context.Context, dockerCLI command.Cli, options options) error {
	if options.watch {
		if !dockerCLI.Out().IsTerminal() {
			return errors.New("--watch draws on a terminal, and the output is not one: print the view once instead (without --watch), or as JSON with --format json")
		}
		return runWatch(ctx, dockerCLI, options.env)
	}
	write, err := newWriter(options.format)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	d, err := mgr.Dashboard(ctx, api.DashboardQuery{Env: options.env})
	if err != nil {
		return fmt.Errorf("failed to get the dashboard: %w", err)
	}
	return write(dockerCLI.Out(), d)
}
