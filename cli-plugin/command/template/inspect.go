package template

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	gotemplate "text/template"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

const inspectFormatHelp = `Format output using a custom template:
'json':             Print the template in JSON format, indented
'TEMPLATE':         Print output using the given Go template on the template's JSON fields`

type inspectOptions struct {
	format string
}

func newInspectCommand(dockerCLI command.Cli) *cobra.Command {
	options := inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect [OPTIONS] CATALOG/NAME[:VERSION]",
		Short: "Show a template, its versions, and what a version asks",
		Long: `Show a template: its description, maintainer and license, its versions (with the
versions each one upgrades from), then for one version the questions it asks (their
type, default and constraints), what keeps it from running on Swarm if anything, and its
README. VERSION is a version (8.0) or its folder number (1); without it, the template's
default version is shown. --format json prints the whole template, every version
included.`,
		Example: `  docker exos template inspect library/mysql
  docker exos template inspect library/mysql:8.4.3-exos1
  docker exos template inspect library/mysql:0
  docker exos template inspect --format json library/jenkins
  docker exos template inspect --format '{{.DefaultVersion}}' library/redis`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	cmd.Flags().StringVarP(&options.format, "format", "f", "", inspectFormatHelp)
	return cmd
}

func runInspect(ctx context.Context, dockerCLI command.Cli, options inspectOptions, arg string) error {
	r, err := parseRef(arg)
	if err != nil {
		return err
	}
	write, err := newWriter(options.format)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	t, err := mgr.InspectTemplate(ctx, r.path())
	if err != nil {
		return fmt.Errorf("failed to inspect template %s: %w", r.path(), err)
	}
	v, err := pickVersion(t, r.Version)
	if err != nil {
		return err
	}
	return write(dockerCLI.Out(), t, v)
}

// writer prints a template, v being the version chosen for the text view.
type writer func(out io.Writer, t api.Template, v api.TemplateVersion) error

// newWriter returns the writer for format; a Go template is parsed before the manager is
// called, so a typo fails fast.
func newWriter(format string) (writer, error) {
	switch format {
	case "":
		return writeText, nil
	case formatter.JSONFormatKey:
		return func(out io.Writer, t api.Template, _ api.TemplateVersion) error {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "    ")
			return enc.Encode(t)
		}, nil
	}
	tmpl, err := templates.Parse(format)
	if err != nil {
		return nil, cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	return func(out io.Writer, t api.Template, _ api.TemplateVersion) error {
		return execute(out, tmpl, t)
	}, nil
}

func execute(out io.Writer, tmpl *gotemplate.Template, t api.Template) error {
	if err := tmpl.Execute(out, t); err != nil {
		return fmt.Errorf("failed to execute the template: %w", err)
	}
	_, err := fmt.Fprintln(out)
	return err
}
