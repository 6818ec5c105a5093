package login

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
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

const whoamiFormatHelp = `Format output using a custom template:
'json':             Print in JSON format, one line
'TEMPLATE':         Print output using the given Go template (fields .User, .Admin, .Roles, .Credential...)`

type whoamiOptions struct {
	format string
}

// NewWhoamiCommand returns `whoami`.
func NewWhoamiCommand(dockerCLI command.Cli) *cobra.Command {
	options := whoamiOptions{}
	cmd := &cobra.Command{
		Use:   "whoami [OPTIONS]",
		Short: "Show who the EXOS manager takes you for",
		Long: `Show the user the manager authenticates this machine as, whether it is a global admin,
its groups, its role in each environment (the strongest of its own and its groups'), and
the credential in use: a login session, an API token with its scope, or the install-time
admin token.`,
		Example: `  docker exos whoami
  docker exos whoami --format json
  docker exos whoami --format '{{.User}} {{.Admin}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWhoami(cmd.Context(), dockerCLI, options)
		},
	}
	cmd.Flags().StringVar(&options.format, "format", "", whoamiFormatHelp)
	return cmd
}

func runWhoami(ctx context.Context, dockerCLI command.Cli, options whoamiOptions) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	w, err := mgr.Whoami(ctx)
	if err != nil {
		return err
	}
	return writeWhoami(dockerCLI.Out(), options.format, w)
}

func writeWhoami(out io.Writer, format string, w api.Whoami) error {
	switch format {
	case "":
		return writeWhoamiText(out, w)
	case formatter.JSONFormatKey:
		enc := json.NewEncoder(out)
		return enc.Encode(w)
	}
	tmpl, err := templates.Parse(format)
	if err != nil {
		return cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	if err := tmpl.Execute(out, w); err != nil {
		return fmt.Errorf("failed to execute the template: %w", err)
	}
	_, err = fmt.Fprintln(out)
	return err
}

func writeWhoamiText(out io.Writer, w api.Whoami) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	user := w.User
	if w.DisplayName != "" {
		user += " (" + w.DisplayName + ")"
	}
	_, _ = fmt.Fprintf(tw, "User:\t%s\n", user)
	_, _ = fmt.Fprintf(tw, "Source:\t%s\n", w.Source)
	_, _ = fmt.Fprintf(tw, "Admin:\t%s\n", yesNo(w.Admin))
	_, _ = fmt.Fprintf(tw, "Groups:\t%s\n", orNone(strings.Join(w.Groups, ", ")))
	_, _ = fmt.Fprintf(tw, "Credential:\t%s\n", credential(w))
	if len(w.Roles) == 0 {
		_, _ = fmt.Fprintf(tw, "Roles:\t%s\n", orNone(""))
	}
	for i, r := range w.Roles {
		label := ""
		if i == 0 {
			label = "Roles:"
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s: %s\n", label, r.Env, r.Role)
	}
	return tw.Flush()
}

// credential describes what the request authenticated with, and its scope.
func credential(w api.Whoami) string {
	var s string
	switch w.Credential {
	case api.CredentialSession:
		s = "login session"
	case api.CredentialInstallToken:
		s = "install-time admin token"
	case api.CredentialToken:
		s = "API token " + w.Token
		var scope []string
		if w.Env != "" {
			scope = append(scope, "environment "+w.Env+" only")
		}
		if w.ReadOnly {
			scope = append(scope, "read-only")
		}
		if len(scope) > 0 {
			s += " (" + strings.Join(scope, ", ") + ")"
		}
	default:
		s = w.Credential
	}
	if !w.ExpiresAt.IsZero() {
		s += ", expires " + w.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
