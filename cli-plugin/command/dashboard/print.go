package dashboard

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/manager/api"
)

// writer prints a dashboard document.
type writer func(out io.Writer, d api.Dashboard) error

// newWriter returns the writer for --format; a Go template is parsed before the manager
// is called, so a typo fails fast.
func newWriter(format string) (writer, error) {
	switch format {
	case "", formatter.TableFormatKey:
		return writeText, nil
	case formatter.JSONFormatKey:
		return func(out io.Writer, d api.Dashboard) error {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			return enc.Encode(d)
		}, nil
	}
	tmpl, err := templates.Parse(format)
	if err != nil {
		return nil, cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	return func(out io.Writer, d api.Dashboard) error {
		if err := tmpl.Execute(out, d); err != nil {
			return fmt.Errorf("failed to execute the template: %w", err)
		}
		_, err := fmt.Fprintln(out)
		return err
	}, nil
}

// printCells is how many characters a host's 24 hours take in the printed view: one per
// 30 minutes.
const printCells = 48

// writeText prints the view as sections of tables. Times are relative to the document's
// own time, so the same document always prints the same.
func writeText(out io.Writer, d api.Dashboard) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Dashboard of %s, at %s\n\n", scopeName(d.Env), d.Time.UTC().Format("2006-01-02 15:04:05 MST"))
	writeCounters(&b, d.Counters)
	sections := []struct {
		title string
		empty bool
		write func(formatter.Context) error
	}{
		{"Environments needing intervention", len(d.Environments) == 0, func(ctx formatter.Context) error {
			return attentionWrite(ctx, "ENVIRONMENT", d.Environments)
		}},
		{"Hosts needing attention", len(d.Hosts) == 0, func(ctx formatter.Context) error {
			return attentionWrite(ctx, "HOST", d.Hosts)
		}},
		{"Top containers by CPU", len(d.TopCPU) == 0, func(ctx formatter.Context) error { return containersWrite(ctx, d.TopCPU) }},
		{"Top containers by memory", len(d.TopMemory) == 0, func(ctx formatter.Context) error { return containersWrite(ctx, d.TopMemory) }},
		{"Host timeline, last 24h (" + legend() + ")", len(d.Timeline) == 0, func(ctx formatter.Context) error {
			return timelineWrite(ctx, byHostname(d.Timeline), d.Time)
		}},
	}
	for _, s := range sections {
		if s.empty {
			fmt.Fprintf(&b, "\n%s: none\n", s.title)
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", s.title)
		if err := s.write(formatter.Context{Output: &b, Format: "table"}); err != nil {
			return err
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// scopeName says what the view covers.
func scopeName(env string) string {
	if env == "" {
		return "all environments you see"
	}
	return "environment " + env
}

func writeCounters(b *strings.Builder, c api.DashboardCounters) {
	w := tabwriter.NewWriter(b, 0, 4, 1, ' ', 0)
	for _, row := range [][2]string{
		{"Environments:", fmt.Sprint(c.Environments)},
		{"Hosts:", hostCounts(c.Hosts)},
		{"Volumes:", fmt.Sprint(c.Volumes)},
		{"Registries:", fmt.Sprint(c.Registries)},
		{"Stacks:", fmt.Sprint(c.Stacks)},
		{"Services:", fmt.Sprint(c.Services)},
		{"Containers:", containerCounts(c.Containers)},
	} {
		fmt.Fprintf(w, "%s\t%s\n", row[0], row[1])
	}
	_ = w.Flush() // a strings.Builder does not fail
}

func hostCounts(h api.HostCounts) string {
	return fmt.Sprintf("%d (%d ready, %d down, %d drain, %d agent silent)", h.Total, h.Ready, h.Down, h.Drain, h.Silent)
}

func containerCounts(c api.ContainerCounts) string {
	return fmt.Sprintf("%d (%d running, %d failing)", c.Total, c.Running, c.Failing)
}

// since is how long ago t was, seen from now; "-" when unknown.
func since(t, now time.Time) string {
	if t.IsZero() || now.IsZero() {
		return "-"
	}
	return units.HumanDuration(now.Sub(t)) + " ago"
}
