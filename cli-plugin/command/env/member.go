package env

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// validRoles are the roles in an environment, weakest first, as the manager knows them
// (it checks them too; this list only makes the error say so before any call).
var validRoles = []string{"read-only", "member", "owner"}

func newMemberCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "member",
		Short: "Manage who has which role in an environment",
		Long: `Manage the members of an environment: users, or groups written @GROUP, each with a
role there (global admins and the environment's owners):

  read-only  see the environment's stacks, services, hooks, registries and metrics
  member     and deploy, upgrade, roll back, scale, manage hooks and registries
  owner      and manage the environment's members and settings

A user's role is the strongest of its own and its groups'.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(newMemberAddCommand(dockerCLI), newMemberListCommand(dockerCLI), newMemberRemoveCommand(dockerCLI))
	return cmd
}

type memberAddOptions struct {
	role string
}

func newMemberAddCommand(dockerCLI command.Cli) *cobra.Command {
	options := memberAddOptions{}
	cmd := &cobra.Command{
		Use:   "add [OPTIONS] ENV USER|@GROUP [USER|@GROUP...]",
		Short: "Give users or groups a role in an environment",
		Long:  "Give users or groups (@GROUP) a role in an environment, replacing the role they had there.",
		Example: `  docker exos env member add prod alice --role member
  docker exos env member add prod @ops --role owner
  docker exos env member add qa bob @devs --role read-only`,
		Args: cli.RequiresMinArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMemberAdd(cmd.Context(), dockerCLI, options, args[0], args[1:])
		},
	}
	cmd.Flags().StringVar(&options.role, "role", "", "Role: "+strings.Join(validRoles, ", ")+" (required)")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func runMemberAdd(ctx context.Context, dockerCLI command.Cli, options memberAddOptions, env string, subjects []string) error {
	if !slices.Contains(validRoles, options.role) {
		return fmt.Errorf("invalid --role %q: valid roles are %s", options.role, strings.Join(validRoles, ", "))
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, subject := range subjects {
		m, err := mgr.AddMember(ctx, env, subject, options.role)
		if err != nil {
			errs = append(errs, memberError("give "+subject+" a role in", env, subject, err))
			continue
		}
		_, _ = fmt.Fprintf(dockerCLI.Out(), "%s: %s\n", m.Subject, m.Role)
	}
	return errors.Join(errs...)
}

func newMemberRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:     "rm ENV USER|@GROUP [USER|@GROUP...]",
		Aliases: []string{"remove"},
		Short:   "Take users' or groups' roles in an environment away",
		Long:    "Take the role users or groups (@GROUP) have in an environment away. A user keeps what its groups give it.",
		Example: `  docker exos env member rm prod alice
  docker exos env member rm prod @ops bob`,
		Args: cli.RequiresMinArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMemberRemove(cmd.Context(), dockerCLI, args[0], args[1:])
		},
	}
}

func runMemberRemove(ctx context.Context, dockerCLI command.Cli, env string, subjects []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return command.ForEach(dockerCLI.Out(), subjects, func(subject string) error {
		if err := mgr.RemoveMember(ctx, env, subject); err != nil {
			return memberError("take the role of "+subject+" away in", env, subject, err)
		}
		return nil
	})
}

// memberError says what failed; for something unknown, where to look: the environment,
// the user or the group may be what does not exist.
func memberError(what, env, subject string, err error) error {
	if !errors.Is(err, api.ErrNotFound) {
		return fmt.Errorf("failed to %s environment %s: %w", what, env, err)
	}
	hint := "`docker exos env ls`"
	switch {
	case strings.HasPrefix(subject, "@"):
		hint += " and `docker exos group ls`"
	case subject != "":
		hint += " and `docker exos user ls`"
	}
	return fmt.Errorf("failed to %s environment %s: %w (see %s)", what, env, err, hint)
}
