package stack

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type rollbackOptions struct {
	to      int
	wait    bool
	timeout time.Duration
}

func newRollbackCommand(dockerCLI command.Cli) *cobra.Command {
	options := rollbackOptions{}
	cmd := &cobra.Command{
		Use:   "rollback [OPTIONS] STACK",
		Short: "Redeploy an earlier revision of a stack",
		Long: `Redeploy the files, variables and environment of an earlier revision of the whole stack.
The rollback is itself recorded as a new revision (history shows what it rolled back to),
so it can be rolled back too. Without --to, the revision before the newest is redeployed.`,
		Example: `  docker exos stack history web
  docker exos stack rollback --to 3 --wait web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRollback(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.IntVar(&options.to, "to", 0, "Revision to redeploy (default: the one before the newest)")
	flags.BoolVar(&options.wait, "wait", false, "Wait until every service runs its desired replicas")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runRollback(ctx context.Context, dockerCLI command.Cli, options rollbackOptions, stack string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	to := options.to
	if to == 0 {
		if to, err = previousRevision(ctx, mgr, stack); err != nil {
			return err
		}
	}
	since := time.Now()
	res, err := mgr.RollbackStack(ctx, stack, to)
	if err != nil {
		return fmt.Errorf("failed to roll stack %s back to revision %d: %w", stack, to, err)
	}
	PrintResult(dockerCLI.Out(), fmt.Sprintf("rolled back to revision %d", to), res)
	if !options.wait {
		return nil
	}
	return Wait(ctx, dockerCLI.Out(), mgr, res, since, options.timeout)
}

// previousRevision is the second newest revision of the stack.
func previousRevision(ctx context.Context, mgr command.ManagerClient, stack string) (int, error) {
	revs, err := mgr.StackHistory(ctx, stack)
	if err != nil {
		return 0, err
	}
	newest, previous := 0, 0
	for _, r := range revs {
		switch {
		case r.Number > newest:
			newest, previous = r.Number, newest
		case r.Number > previous:
			previous = r.Number
		}
	}
	if previous == 0 {
		return 0, fmt.Errorf("stack %s has no earlier revision to roll back to", stack)
	}
	return previous, nil
}
