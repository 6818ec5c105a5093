package stack

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

func newRemoveCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "rm STACK [STACK...]",
		Aliases: []string{"remove", "down"},
		Short:   "Remove one or more stacks",
		Long: `Remove the stacks' services, secrets, configs and networks, and print each as
docker stack rm does. Their revision history is kept: a stack deployed again under the
same name continues its numbering. A stack with nothing on the swarm is no error, as
with docker stack rm: it prints "Nothing found in stack".

The manager removes the networks once the services' tasks have stopped (Swarm refuses
to remove a network a task uses), so the stack is gone when the command returns, with
or without docker stack rm's --detach.`,
		Example: "  docker exos stack rm web",
		Args:    cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), dockerCLI, args)
		},
	}
	// docker stack rm's flag, for its scripts: EXOS always waits (see above).
	cmd.Flags().BoolP("detach", "d", true, "Taken for docker stack rm's scripts: EXOS waits for the tasks to stop either way")
	return cmd
}

func runRemove(ctx context.Context, dockerCLI command.Cli, stacks []string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range stacks {
		removal, err := mgr.RemoveStack(ctx, name)
		if err != nil && !errors.Is(err, api.ErrNotFound) {
			errs = append(errs, fmt.Errorf("failed to remove stack %s: %w", name, err))
			continue
		}
		switch {
		case err == nil && removal.Removed == nil: // a manager of an earlier version
			_, _ = fmt.Fprintf(dockerCLI.Out(), "Removing stack %s\n", name)
		case len(removal.Removed) == 0:
			_, _ = fmt.Fprintln(dockerCLI.Err(), "Nothing found in stack:", name)
		}
		for _, o := range removal.Removed {
			_, _ = fmt.Fprintf(dockerCLI.Out(), "Removing %s %s\n", o.Kind, o.Name)
		}
	}
	return errors.Join(errs...)
}
