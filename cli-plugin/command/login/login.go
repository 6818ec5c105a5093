// Package login holds `docker exos login`, `logout` and `whoami`: who this machine is
// to the swarm's EXOS manager, saved per swarm like `docker login` saves per registry.
package login

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type loginOptions struct {
	username      string
	passwordStdin bool
}

// NewLoginCommand returns `login`.
func NewLoginCommand(dockerCLI command.Cli) *cobra.Command {
	options := loginOptions{}
	cmd := &cobra.Command{
		Use:   "login [OPTIONS]",
		Short: "Log in to the EXOS manager of this swarm",
		Long: `Log in to the EXOS manager of the swarm the current Docker endpoint manages (docker
context, DOCKER_HOST or -H), as a local user or, when directory login is set up, as a
directory user.

The password is asked for at the terminal without echo, or read from standard input with
--password-stdin. It is sent to the manager only. What is saved is the session token,
readable only by you, in <docker config dir>/exos/<swarm ID>.json, beside the manager's
pinned CA; every later command of this swarm authenticates with it until the session
ends or ` + "`docker exos logout`" + `.

The install-time admin token saved by ` + "`docker exos manager install`" + ` is set aside
while you are logged in, and used again after logout.`,
		Example: `  docker exos login
  docker exos login --username alice
  cat ~/alice-password | docker exos login --username alice --password-stdin
  docker --context prod exos login -u alice`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLogin(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVarP(&options.username, "username", "u", "", "User `name` (default: asked for, or the user last logged in)")
	flags.BoolVar(&options.passwordStdin, "password-stdin", false, "Read the password from stdin")
	return cmd
}

func runLogin(ctx context.Context, dockerCLI command.Cli, options loginOptions) error {
	store, err := dockerCLI.LoginStore(ctx)
	if err != nil {
		return err
	}
	saved, err := store.Load()
	if err != nil {
		return err
	}
	username, err := loginUsername(dockerCLI, options, saved.User)
	if err != nil {
		return err
	}
	password, err := command.ReadPassword(dockerCLI, "Password: ", options.passwordStdin)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.ManagerAs(ctx, "")
	if err != nil {
		return err
	}
	session, err := mgr.Login(ctx, api.LoginRequest{Username: username, Password: password})
	if err != nil {
		return loginError(username, err)
	}
	if err := store.Save(session.Token, session.User); err != nil {
		return err
	}
	if err := pinCA(store, mgr); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "Login Succeeded: %s, session saved in %s%s\n", session.User, store.Path(), until(session.ExpiresAt))
	if os.Getenv("EXOS_TOKEN") != "" {
		_, _ = fmt.Fprintln(dockerCLI.Err(), "WARNING: EXOS_TOKEN is set: commands authenticate with it, not with this login, until you unset it")
	}
	return nil
}

// loginUsername is --username, else asked for at the terminal (suggesting the user last
// logged in). With --password-stdin stdin holds the password, so the name must be a flag.
func loginUsername(streams command.Cli, options loginOptions, last string) (string, error) {
	if options.username != "" {
		return options.username, nil
	}
	if options.passwordStdin {
		return "", errors.New("--password-stdin needs --username: standard input holds the password")
	}
	if !streams.In().IsTerminal() {
		return "", errors.New("cannot ask for the user name: standard input is not a terminal; give --username")
	}
	prompt := "Username: "
	if last != "" {
		prompt = fmt.Sprintf("Username (%s): ", last)
	}
	_, _ = fmt.Fprint(streams.Err(), prompt)
	line, err := bufio.NewReader(streams.In()).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("failed to read the user name: %w", err)
	}
	if name := strings.TrimSpace(line); name != "" {
		return name, nil
	}
	if last == "" {
		return "", errors.New("no user name given: type one, or give --username")
	}
	return last, nil
}

// pinCA pins the CA the manager was just verified with, on a first login on this
// machine (there was no login file to pin it in before).
func pinCA(store command.LoginStore, mgr command.ManagerClient) error {
	reporter, ok := mgr.(command.TransportReporter)
	if !ok || reporter.Transport().CA == "" {
		return nil
	}
	if pinned, _ := command.LoadCA(store.Dir, store.Swarm); pinned != nil {
		return nil
	}
	return command.SaveCA(store.Dir, store.Swarm, []byte(reporter.Transport().CA))
}

// loginError says what to do; the manager's answer never says which of the name or the
// password was wrong, and neither does this.
func loginError(username string, err error) error {
	switch {
	case errors.Is(err, api.ErrUnauthorized):
		return fmt.Errorf("failed to log in as %s: %w (check the user name and password; a disabled user cannot log in)", username, err)
	case errors.Is(err, api.ErrTooManyRequests):
		return fmt.Errorf("failed to log in as %s: %w (too many failed logins: wait and try again)", username, err)
	}
	return fmt.Errorf("failed to log in as %s: %w", username, err)
}

func until(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ", valid until " + t.UTC().Format(time.RFC3339)
}
