package registry

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newLoginTestCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "login-test NAME",
		Short: "Check that the manager can log in to a registry",
		Long: `Have the manager log in to the registry with its credentials and CA (or --insecure),
from where the manager runs, and list one repository. It prints OK, or fails with the
reason (a certificate of another CA, credentials refused, no answer...), which never
shows the password.`,
		Example: `  docker exos registry login-test ci`,
		Args:    cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLoginTest(cmd.Context(), dockerCLI, args[0])
		},
	}
}

func runLoginTest(ctx context.Context, dockerCLI command.Cli, name string) error {
	if err := validateName(name); err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	res, err := mgr.TestRegistryLogin(ctx, name)
	if err != nil {
		return fmt.Errorf("failed to test registry %s: %w", name, err)
	}
	if !res.OK {
		return fmt.Errorf("login to registry %s (%s) failed: %s", res.Name, res.URL, res.Error)
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "OK: logged in to %s (%s)\n", res.Name, res.URL)
	return nil
}
