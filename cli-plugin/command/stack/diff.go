package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	format string
}

func newDiffCommand(dockerCLI command.Cli) *cobra.Command {
	options := diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [OPTIONS] STACK [REV_A [REV_B]]",
		Short: "Show what changed between two revisions of a stack",
		Long: `Show what changed between two revisions of a stack, at two levels: what they were
deployed from (compose files, exos file, variables, images set by set-image) as unified
diffs, and the Swarm service specs they make, field by field, with images at the digests
they were deployed at. Password answers are never shown: EXOS does not keep them.

Without revisions, the newest revision is compared with the one before it; with one,
that revision with the newest.`,
		Example: `  docker exos stack diff shop
  docker exos stack diff shop 3 5
  docker exos stack diff --format json shop 4
  docker exos stack diff --format '{{range .Services}}{{.Service}} {{.Change}}{{"\n"}}{{end}}' shop`,
		Args: cli.RequiresRangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), dockerCLI, options, args)
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "", "Format the output: json, or a Go template (default: the diffs as text)")
	return cmd
}

func runDiff(ctx context.Context, dockerCLI command.Cli, options diffOptions, args []string) error {
	var revs [2]int
	for i, arg := range args[1:] {
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is no revision number: give numbers from `docker exos stack history %s`", arg, args[0])
		}
		revs[i] = n
	}
	// One revision is compared with the newest (to 0); none, the newest with the one before.
	from, to := revs[0], revs[1]
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	d, err := mgr.StackDiff(ctx, args[0], from, to)
	if err != nil {
		return fmt.Errorf("failed to compare revisions of stack %s: %w", args[0], err)
	}
	switch options.format {
	case "":
		printDiff(dockerCLI.Out(), d)
		return nil
	case "json":
		data, err := json.MarshalIndent(d, "", "    ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(dockerCLI.Out(), string(data))
		return err
	}
	tmpl, err := templates.Parse(options.format)
	if err != nil {
		return fmt.Errorf("template parsing error: %w", err)
	}
	if err := tmpl.Execute(dockerCLI.Out(), d); err != nil {
		return fmt.Errorf("template error: %w", err)
	}
	return nil
}

// printDiff writes the diff as text: the input diffs, then each service's changed fields.
func printDiff(out io.Writer, d api.StackDiff) {
	from := "nothing"
	if d.From > 0 {
		from = "revision " + strconv.Itoa(d.From)
	}
	_, _ = fmt.Fprintf(out, "Stack %s: %s -> revision %d\n", d.Stack, from, d.To)
	for _, note := range d.Notes {
		_, _ = fmt.Fprintf(out, "Note: %s\n", note)
	}
	if len(d.Files) == 0 && len(d.Services) == 0 {
		_, _ = fmt.Fprintln(out, "No changes")
		return
	}
	for _, f := range d.Files {
		_, _ = fmt.Fprintf(out, "\n%s", f.Diff)
	}
	if len(d.Services) == 0 {
		return
	}
	_, _ = fmt.Fprintln(out, "\nServices:")
	for _, s := range d.Services {
		_, _ = fmt.Fprintf(out, "  %s %s\n", s.Service, s.Change)
		for _, f := range s.Fields {
			_, _ = fmt.Fprintf(out, "    %s: %s -> %s\n", f.Path, shown(f.From), shown(f.To))
		}
	}
}

// shown is a field's value as printed: an unset one says so.
func shown(v string) string {
	if v == "" {
		return "(unset)"
	}
	return strings.ReplaceAll(v, "\n", `\n`)
}
