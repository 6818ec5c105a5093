package login

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// NewLogoutCommand returns `logout`.
func NewLogoutCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Log out of the EXOS manager of this swarm",
		Long: `End the session saved for the swarm the current Docker endpoint manages: the manager
ends it, and it is removed from this machine. When the manager cannot be reached the
session is removed all the same, and ends on the manager when it expires.

The manager's pinned CA stays. The install-time admin token, if ` + "`docker exos login`" + `
set it aside, is saved again; on its own it is never removed by logout (it is the
installation's admin credential; API tokens are revoked with ` + "`docker exos token revoke`" + `).`,
		Example: `  docker exos logout
  docker --context prod exos logout`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLogout(cmd.Context(), dockerCLI)
		},
	}
}

func runLogout(ctx context.Context, dockerCLI command.Cli) error {
	store, err := dockerCLI.LoginStore(ctx)
	if err != nil {
		return err
	}
	saved, err := store.Load()
	if err != nil {
		return err
	}
	switch {
	case saved.Token == "":
		_, _ = fmt.Fprintf(dockerCLI.Out(), "Not logged in to swarm %s\n", store.Swarm)
		return nil
	case saved.User == "":
		_, _ = fmt.Fprintf(dockerCLI.Out(), "Not logged in: %s holds the install-time admin token, which logout keeps\n", store.Path())
		return nil
	}
	if err := endSession(ctx, dockerCLI, saved.Token); err != nil {
		_, _ = fmt.Fprintf(dockerCLI.Err(), "WARNING: the manager did not end the session (%v): it is removed from this machine and ends when it expires\n", err)
	}
	restored, err := store.Forget()
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "Logged out %s\n", saved.User)
	if restored {
		_, _ = fmt.Fprintf(dockerCLI.Out(), "The install-time admin token in %s is used again\n", store.Path())
	}
	return nil
}

// endSession asks the manager to end the session; one it no longer knows (expired,
// its user disabled) is ended already.
func endSession(ctx context.Context, dockerCLI command.Cli, token string) error {
	mgr, err := dockerCLI.ManagerAs(ctx, token)
	if err != nil {
		return err
	}
	if err := mgr.Logout(ctx); err != nil && !errors.Is(err, api.ErrUnauthorized) {
		return err
	}
	return nil
}
