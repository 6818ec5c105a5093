package user

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type passwdOptions struct {
	passwordStdin bool
}

func newPasswdCommand(dockerCLI command.Cli) *cobra.Command {
	options := passwdOptions{}
	cmd := &cobra.Command{
		Use:   "passwd [OPTIONS] [NAME]",
		Short: "Change your password, or set a user's",
		Long: `Without NAME, change your own password: your current password is asked for first
(leave it empty if you have none yet, as the install-time admin user), then the new one
twice. With --password-stdin, standard input holds two lines: the current password, then
the new one.

With NAME, a global admin sets that user's password without knowing the old one, and the
user's sessions end; --password-stdin then reads the new password only. Directory users'
passwords are changed in the directory, not here.`,
		Example: `  docker exos user passwd
  printf '%s\n%s\n' "$OLD" "$NEW" | docker exos user passwd --password-stdin
  docker exos user passwd alice
  cat ~/alice-password | docker exos user passwd alice --password-stdin`,
		Args: cli.RequiresMaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return runSetPassword(cmd.Context(), dockerCLI, options, args[0])
			}
			return runChangePassword(cmd.Context(), dockerCLI, options)
		},
	}
	cmd.Flags().BoolVar(&options.passwordStdin, "password-stdin", false, "Read the password(s) from stdin")
	return cmd
}

func runSetPassword(ctx context.Context, dockerCLI command.Cli, options passwdOptions, name string) error {
	password, err := newPassword(dockerCLI, options.passwordStdin, fmt.Sprintf("New password for %s: ", name))
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	if err := mgr.SetPassword(ctx, name, password); err != nil {
		return userError("set the password of", name, err)
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "Password of %s set\n", name)
	return nil
}

func runChangePassword(ctx context.Context, dockerCLI command.Cli, options passwdOptions) error {
	current, password, err := ownPasswords(dockerCLI, options.passwordStdin)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	if err := mgr.ChangePassword(ctx, current, password); err != nil {
		return fmt.Errorf("failed to change your password: %w", err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), "Password changed")
	return nil
}

// ownPasswords are the current and the new password: two lines of stdin, or typed.
func ownPasswords(dockerCLI command.Cli, fromStdin bool) (current, password string, err error) {
	if fromStdin {
		lines, err := command.ReadStdinSecrets(dockerCLI.In(), 2)
		if err != nil {
			return "", "", fmt.Errorf("%w: the current password, then the new one", err)
		}
		if lines[1] == "" {
			return "", "", fmt.Errorf("--password-stdin read an empty new password on its second line")
		}
		return lines[0], lines[1], nil
	}
	if current, err = command.PromptPassword(dockerCLI, "Current password: "); err != nil {
		return "", "", err
	}
	password, err = command.PromptNewPassword(dockerCLI, "New password: ")
	return current, password, err
}
