package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type testOptions struct {
	username      string
	passwordStdin bool
	format        string
}

func newTestCommand(dockerCLI command.Cli) *cobra.Command {
	options := testOptions{}
	cmd := &cobra.Command{
		Use:   "test [OPTIONS]",
		Short: "Test the directory (LDAP) settings, step by step",
		Long: `Test the directory settings from the manager: connect, TLS and the service account's
bind; with --username the user's search; and with its password (asked for at a terminal, or
--password-stdin) the user's bind and the groups a login would find. Each step is printed
with what it found; the command fails at the first step that does.`,
		Example: `  docker exos auth ldap test
  docker exos auth ldap test --username alice
  cat ~/alice-password | docker exos auth ldap test --username alice --password-stdin`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTest(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVarP(&options.username, "username", "u", "", "Directory user `name` to search for")
	flags.BoolVar(&options.passwordStdin, "password-stdin", false, "Read the user's password from stdin")
	flags.StringVar(&options.format, "format", "", "Format output: 'json' (one line), or a Go template (fields .OK, .Steps, .DN, .Groups...)")
	return cmd
}

func runTest(ctx context.Context, dockerCLI command.Cli, options testOptions) error {
	req, err := newTestRequest(dockerCLI, options)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	result, err := mgr.TestLDAP(ctx, req)
	if errors.Is(err, api.ErrNotFound) {
		return errNotSet
	}
	if err != nil {
		return fmt.Errorf("failed to test the directory settings: %w", err)
	}
	if err := writeFormatted(dockerCLI.Out(), options.format, result, writeTestText); err != nil {
		return err
	}
	return testFailure(result)
}

// newTestRequest reads the user's password: from stdin, or asked for at a terminal
// (empty to test only the search).
func newTestRequest(dockerCLI command.Cli, options testOptions) (api.LDAPTestRequest, error) {
	req := api.LDAPTestRequest{Username: options.username}
	if options.passwordStdin && options.username == "" {
		return req, errors.New("--password-stdin needs --username: the password is that user's")
	}
	if options.username == "" || (!options.passwordStdin && !dockerCLI.In().IsTerminal()) {
		return req, nil
	}
	prompt := fmt.Sprintf("Password of %s (empty to test the search only): ", options.username)
	password, err := command.ReadPassword(dockerCLI, prompt, options.passwordStdin)
	req.Password = password
	return req, err
}

func writeTestText(out io.Writer, r api.LDAPTestResult) error {
	for _, s := range r.Steps {
		mark := "ok  "
		if !s.OK {
			mark = "FAIL"
		}
		line := mark + "  " + s.Step
		if s.Detail != "" {
			line += ": " + s.Detail
		}
		if _, err := fmt.Fprintln(out, line); err != nil {
			return err
		}
	}
	if r.DN != "" {
		_, _ = fmt.Fprintf(out, "\nUser:              %s\n", r.DN)
		if r.DisplayName != "" {
			_, _ = fmt.Fprintf(out, "Display name:      %s\n", r.DisplayName)
		}
		_, _ = fmt.Fprintf(out, "Directory groups:  %s\n", strings.Join(r.DirectoryGroups, "; "))
		_, _ = fmt.Fprintf(out, "EXOS groups:       %s\n", strings.Join(r.Groups, ", "))
	}
	return nil
}

// testFailure makes a failed test fail the command, naming the step.
func testFailure(r api.LDAPTestResult) error {
	if r.OK {
		return nil
	}
	for _, s := range r.Steps {
		if !s.OK {
			return fmt.Errorf("the directory test failed at step %q: %s", s.Step, s.Detail)
		}
	}
	return errors.New("the directory test failed")
}
