package manager

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type statusOptions struct {
	format string
}

// statusView is what --format sees: the manager's URL, its Info and how the plugin
// reached it.
type statusView struct {
	URL string `json:"url"`
	api.Info
	Transport command.Transport `json:"transport"`
}

func newStatusCommand(dockerCLI command.Cli) *cobra.Command {
	options := statusOptions{}
	cmd := &cobra.Command{
		Use:   "status [OPTIONS]",
		Short: "Show where the EXOS manager runs and what it sees",
		Long: `Show where the EXOS manager runs and what it sees. --format table prints one row
with a header, json the status as JSON, and a Go template sees .URL and the fields of
the manager's info (.Version, .SwarmID, .StartedAt, .Nodes, .Tasks...), plus .Started
and .Ready as "3 hours ago", and .Transport: how the plugin reached the manager
(.Transport.TLS, .Transport.CAFingerprint, .Transport.CAExpires, .Transport.CASource,
.Transport.Hosts and .Transport.Expires of the manager's certificate, .Transport.Warning);
"table TEMPLATE" prints it with a header. ` + "`docker exos manager ca`" + ` prints the CA itself.`,
		Example: `  docker exos manager status
  docker exos manager status --format table
  docker exos manager status --format json
  docker exos manager status --format '{{.URL}}'
  docker exos manager status --format '{{.Transport.CAFingerprint}} {{.Transport.Expires}}'
  docker exos manager status --format 'table {{.URL}}\t{{.Version}}\t{{.Ready}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), dockerCLI, options)
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
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
	if r, ok := mgr.(command.TransportReporter); ok {
		view.Transport = r.Transport()
	}
	switch options.format {
	case "":
		return printStatus(dockerCLI.Out(), view)
	case formatter.JSONFormatKey:
		return json.NewEncoder(dockerCLI.Out()).Encode(view)
	}
	return statusWrite(formatter.Context{Output: dockerCLI.Out(), Format: newStatusFormat(options.format)}, view)
}

const defaultStatusTableFormat = "table {{.URL}}\t{{.Version}}\t{{.SwarmID}}\t{{.Started}}\t{{.Ready}}\t{{.Nodes}}\t{{.Services}}\t{{.Tasks}}\t{{.Stacks}}\t{{.Envs}}"

// newStatusFormat is the format for --format: table, or a Go template ("table TEMPLATE"
// prints a header).
func newStatusFormat(source string) formatter.Format {
	if source == formatter.TableFormatKey {
		return defaultStatusTableFormat
	}
	return formatter.Format(source)
}

// statusWrite writes the status through docker/cli's formatter, as list commands do.
func statusWrite(ctx formatter.Context, v statusView) error {
	c := statusContext{}
	c.Header = formatter.SubHeaderContext{
		"URL": "MANAGER", "Version": "VERSION", "SwarmID": "SWARM", "NodeID": "NODE", "Started": "STARTED",
		"Ready": "READY", "Nodes": "NODES", "Services": "SERVICES", "Tasks": "CONTAINERS", "Stacks": "STACKS",
		"Envs": "ENVIRONMENTS", "Index": "INDEX",
	}
	return ctx.Write(&c, func(format func(formatter.SubContext) error) error {
		return format(&statusContext{statusView: v})
	})
}

// statusContext is what a template sees: the status's fields, and its times as "3 hours
// ago".
type statusContext struct {
	formatter.HeaderContext
	statusView
}

func (c *statusContext) Started() string { return since(c.StartedAt) }

func (c *statusContext) Ready() string { return since(c.ReadyAt) }

func printStatus(out io.Writer, v statusView) error {
	w := tabwriter.NewWriter(out, 0, 4, 1, ' ', 0)
	rows := append([][2]any{{"Manager", v.URL}}, transportRows(v.Transport)...)
	rows = append(rows, [][2]any{
		{"Version", v.Version},
		{"Swarm", v.SwarmID},
		{"Started", since(v.StartedAt)},
		{"Ready", since(v.ReadyAt)},
		{"Nodes", v.Nodes},
		{"Services", v.Services},
		{"Containers", v.Tasks},
		{"Stacks", v.Stacks},
		{"Environments", v.Envs},
	}...)
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

// transportRows say how the plugin reached the manager: the CA it verified it with and
// the certificate the manager showed.
func transportRows(t command.Transport) [][2]any {
	if !t.TLS {
		return [][2]any{{"Transport", "plain HTTP: tokens cross the network in clear"}}
	}
	rows := [][2]any{{"Transport", "HTTPS, verified with " + t.CASource}} // the system's CAs
	if t.CAFingerprint != "" {
		rows = [][2]any{
			{"Transport", "HTTPS, verified with the CA " + t.CASource},
			{"CA", fmt.Sprintf("SHA256 %s, expires %s", t.CAFingerprint, t.CAExpires.Format(time.DateOnly))},
		}
	}
	if !t.Expires.IsZero() {
		rows = append(rows, [2]any{"Certificate", fmt.Sprintf("for %s, expires %s", strings.Join(t.Hosts, ", "), t.Expires.Format(time.DateOnly))})
	}
	return rows
}
