package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// errNotSet is what show and test say without settings.
var errNotSet = errors.New("directory login is not set up: set it with `docker exos auth ldap set`")

type showOptions struct {
	format string
}

func newShowCommand(dockerCLI command.Cli) *cobra.Command {
	options := showOptions{}
	cmd := &cobra.Command{
		Use:   "show [OPTIONS]",
		Short: "Show the directory (LDAP) settings",
		Long:  "Show the directory settings. The service account's password is never shown, only whether one is set.",
		Example: `  docker exos auth ldap show
  docker exos auth ldap show --format json
  docker exos auth ldap show --format '{{.URL}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(cmd.Context(), dockerCLI, options)
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "", "Format output: 'json' (one line), or a Go template (fields .URL, .StartTLS, .BindDN, .UserBase...)")
	return cmd
}

func runShow(ctx context.Context, dockerCLI command.Cli, options showOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	s, err := mgr.LDAPSettings(ctx)
	if errors.Is(err, api.ErrNotFound) {
		return errNotSet
	}
	if err != nil {
		return err
	}
	return writeFormatted(dockerCLI.Out(), options.format, s, writeSettingsText)
}

func writeSettingsText(out io.Writer, s api.LDAPSettings) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	ca := "the system's"
	if s.CA != "" {
		ca = "pinned (PEM, see --format json)"
	}
	bind := "anonymous search"
	if s.BindDN != "" {
		bind = s.BindDN + ", password " + map[bool]string{true: "set", false: "not set"}[s.BindPasswordSet]
	}
	groups := "the user's memberOf attribute"
	if s.GroupBase != "" {
		groups = s.GroupFilter + " under " + s.GroupBase
	}
	_, _ = fmt.Fprintf(tw, "URL:\t%s\n", s.URL)
	_, _ = fmt.Fprintf(tw, "StartTLS:\t%t\n", s.StartTLS)
	_, _ = fmt.Fprintf(tw, "CA:\t%s\n", ca)
	_, _ = fmt.Fprintf(tw, "Bind:\t%s\n", bind)
	_, _ = fmt.Fprintf(tw, "Users:\t%s under %s\n", s.UserFilter, s.UserBase)
	_, _ = fmt.Fprintf(tw, "Display name:\t%s\n", s.DisplayNameAttribute)
	_, _ = fmt.Fprintf(tw, "Groups:\t%s\n", groups)
	if !s.UpdatedAt.IsZero() {
		_, _ = fmt.Fprintf(tw, "Updated:\t%s\n", s.UpdatedAt.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

// writeFormatted writes v as text (format ""), JSON on one line, or through a Go template.
func writeFormatted[T any](out io.Writer, format string, v T, text func(io.Writer, T) error) error {
	switch format {
	case "":
		return text(out, v)
	case formatter.JSONFormatKey:
		enc := json.NewEncoder(out)
		return enc.Encode(v)
	}
	tmpl, err := templates.Parse(format)
	if err != nil {
		return cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	if err := tmpl.Execute(out, v); err != nil {
		return fmt.Errorf("failed to execute the template: %w", err)
	}
	_, err = fmt.Fprintln(out)
	return err
}
