package user

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type createOptions struct {
	displayName   string
	passwordStdin bool
	directory     bool
	admin         bool
}

func newCreateCommand(dockerCLI command.Cli) *cobra.Command {
	options := createOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS] NAME",
		Short: "Create a user",
		Long: `Create a user. A local user's password is asked for at the terminal (twice, without
echo) or read from standard input with --password-stdin. With --directory the user logs in
with its directory password: NAME is its user name in the directory, found with the
settings of ` + "`docker exos auth ldap set`" + `.

The new user has no role until it is given one: --admin for a global admin, or
` + "`docker exos env member add ENV NAME --role ROLE`" + `.`,
		Example: `  docker exos user create alice --display-name "Alice Liddell"
  cat ~/bob-password | docker exos user create bob --password-stdin
  docker exos user create carol --directory
  docker exos user create root2 --admin --password-stdin < ~/root2-password`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreate(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.displayName, "display-name", "", "The user's full `name`")
	flags.BoolVar(&options.passwordStdin, "password-stdin", false, "Read the password from stdin")
	flags.BoolVar(&options.directory, "directory", false, "The LDAP directory checks the user's password")
	flags.BoolVar(&options.admin, "admin", false, "Make the user a global admin")
	cmd.MarkFlagsMutuallyExclusive("password-stdin", "directory")
	return cmd
}

func runCreate(ctx context.Context, dockerCLI command.Cli, options createOptions, name string) error {
	req := api.UserCreateRequest{Name: name, DisplayName: options.displayName, Directory: options.directory, Admin: options.admin}
	if !options.directory {
		password, err := newPassword(dockerCLI, options.passwordStdin, fmt.Sprintf("Password for %s: ", name))
		if errors.Is(err, command.ErrNoTerminal) {
			return fmt.Errorf("%w (or give --directory for a directory user)", err)
		}
		if err != nil {
			return err
		}
		req.Password = password
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	user, err := mgr.CreateUser(ctx, req)
	if err != nil {
		return fmt.Errorf("failed to create user %s: %w", name, err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), user.Name)
	return nil
}

// newPassword reads a new password from stdin, or asks for it twice at the terminal.
func newPassword(dockerCLI command.Cli, fromStdin bool, prompt string) (string, error) {
	if fromStdin {
		return command.ReadPassword(dockerCLI, "", true)
	}
	return command.PromptNewPassword(dockerCLI, prompt)
}
