package manager

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type statusOptions struct {
	format string
}

// statusView is what --format sees: the manager's URL and its Info.
type statusView struct {
	URL string `json:"url"`
	api.Info
}

func newStatusCommand(dockerCLI command.Cli) *cobra.Command {
	options := statusOptions{}
	cmd := &cobra.Command{
		Use:   "status [OPTIONS]",
		Short: "Show where the EXOS manager runs and what it sees",
		Example: `  docker exos manager status
  docker exos manager status --format json
  docker exos manager status --format '{{.URL}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), dockerCLI, options)
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "",
		"Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template")
	return cmd
}

func runStatus(ctx context.Context, dockerCLI command.Cli, options statusOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	info, err := mgr.Info(ctx)
	if err != nil {
		return err
	}
	view := statusView{URL: mgr.BaseURL(), Info: info}
	switch options.format {
	case "":
		return printStatus(dockerCLI.Out(), view)
	case formatter.JSONFormatKey:
		return json.NewEncoder(dockerCLI.Out()).Encode(view)
	}
	tmpl, err := templates.Parse(options.format)
	if err != nil {
		return cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	if err := tmpl.Execute(dockerCLI.Out(), view); err != nil {
		return fmt.Errorf("failed to execute the template: %w", err)
	}
	_, err = fmt.Fprintln(dockerCLI.Out())
	return err
}

func printStatus(out io.Writer, v statusView) error {
	w := tabwriter.NewWriter(out, 0, 4, 1, ' ', 0)
	rows := [][2]any{
		{"Manager", v.URL},
		{"Version", v.Version},
		{"Swarm", v.SwarmID},
		{"Started", since(v.StartedAt)},
		{"Ready", since(v.ReadyAt)},
		{"Nodes", v.Nodes},
		{"Services", v.Services},
		{"Containers", v.Tasks},
		{"Stacks", v.Stacks},
		{"Environments", v.Envs},
	}
	for _, r := range rows {
		_, _ = fmt.Fprintf(w, "%s:\t%v\n", r[0], r[1])
	}
	return w.Flush()
}

// since is "2 minutes ago", or "not yet" for a time that has not come.
func since(t time.Time) string {
	if t.IsZero() {
		return "not yet"
	}
	return units.HumanDuration(time.Since(t)) + " ago"
}
