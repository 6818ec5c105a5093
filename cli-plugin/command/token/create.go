package token

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

const secretFormatHelp = `Format output using a custom template:
'json':             Print in JSON format, one line
'TEMPLATE':         Print output using the given Go template (fields .ID, .Name, .Secret, .Env, .ReadOnly, .ExpiresAt)`

type createOptions struct {
	name     string
	expires  string
	env      string
	readOnly bool
	format   string
}

func newCreateCommand(dockerCLI command.Cli) *cobra.Command {
	options := createOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS]",
		Short: "Create an API token and print it, once",
		Long: `Create an API token for yourself. It has your rights at most, narrowed to one
environment with --env and to reading with --read-only. --expires sets its lifetime (a
duration such as 720h; 0 for a token that never expires; default: the manager's).

The token is printed once: the manager keeps only its hash, and a lost token cannot be
shown again (revoke it and create another).`,
		Example: `  docker exos token create --name ci
  docker exos token create --name ci-qa --env qa --expires 720h
  docker exos token create --name dashboard --read-only --format '{{.Secret}}' > ~/.exos-dashboard-token`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreate(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.name, "name", "", "What the token is for, such as ci (required)")
	flags.StringVar(&options.expires, "expires", "", "Lifetime, such as 720h; 0 for never (default: the manager's)")
	flags.StringVar(&options.env, "env", "", "Limit the token to this `environment`")
	flags.BoolVar(&options.readOnly, "read-only", false, "Let the token only read")
	flags.StringVar(&options.format, "format", "", secretFormatHelp)
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func runCreate(ctx context.Context, dockerCLI command.Cli, options createOptions) error {
	if err := validateExpires(options.expires); err != nil {
		return err
	}
	// The token is shown only once: a bad --format must fail before the token exists.
	write, err := newSecretWriter(options.format)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	secret, err := mgr.CreateToken(ctx, api.TokenCreateRequest{
		Name: options.name, ExpiresIn: options.expires, Env: options.env, ReadOnly: options.readOnly,
	})
	if err != nil {
		return fmt.Errorf("failed to create token %s: %w", options.name, err)
	}
	return write(dockerCLI.Out(), secret)
}

func validateExpires(expires string) error {
	if expires == "" || expires == "0" {
		return nil
	}
	d, err := time.ParseDuration(expires)
	if err != nil || d <= 0 {
		return fmt.Errorf("invalid --expires %q: give a duration such as 720h or 90m, or 0 for a token that never expires", expires)
	}
	return nil
}

type secretWriter func(out io.Writer, s api.TokenSecret) error

// newSecretWriter returns the writer for format. A template is parsed and tried on an
// empty token here, before the manager is called.
func newSecretWriter(format string) (secretWriter, error) {
	switch format {
	case "":
		return writeSecretText, nil
	case formatter.JSONFormatKey:
		return func(out io.Writer, s api.TokenSecret) error {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			return enc.Encode(s)
		}, nil
	}
	tmpl, err := templates.Parse(format)
	if err == nil {
		err = tmpl.Execute(io.Discard, api.TokenSecret{})
	}
	if err != nil {
		return nil, cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	return func(out io.Writer, s api.TokenSecret) error {
		if err := tmpl.Execute(out, s); err != nil {
			return fmt.Errorf("failed to execute the template: %w", err)
		}
		_, err := fmt.Fprintln(out)
		return err
	}, nil
}

func writeSecretText(out io.Writer, s api.TokenSecret) error {
	_, err := fmt.Fprintf(out, `Token %s created (ID %s). Keep it: it is shown only now and will not be shown again.

Token:    %s
Scope:    %s
Expires:  %s

Use it with: EXOS_TOKEN=<token> docker exos ...
`, s.Name, s.ID, s.Secret, scopeText(s.Token), expiresText(s.Token))
	return err
}

func scopeText(t api.Token) string {
	var scope []string
	if t.Env != "" {
		scope = append(scope, "environment "+t.Env+" only")
	} else {
		scope = append(scope, "every environment of "+t.User)
	}
	if t.ReadOnly {
		scope = append(scope, "read-only")
	}
	return strings.Join(scope, ", ")
}

func expiresText(t api.Token) string {
	if t.ExpiresAt.IsZero() {
		return "never"
	}
	return t.ExpiresAt.UTC().Format(time.RFC3339)
}
