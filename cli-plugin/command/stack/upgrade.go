package stack

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type upgradeOptions struct {
	version string
	answers AnswerOptions
	wait    bool
	timeout time.Duration
}

func newUpgradeCommand(dockerCLI command.Cli) *cobra.Command {
	options := upgradeOptions{}
	cmd := &cobra.Command{
		Use:   "upgrade [OPTIONS] STACK",
		Short: "Upgrade a stack to a newer version of its catalog template",
		Long: `Deploy a newer version of the catalog template a stack was deployed from, keeping the
stack's answers. Passwords are kept too: EXOS never records their values, and their Swarm
secrets stay as they are. --set (or --answers) changes an answer, or answers a question
the new version adds.

Without --version, the stack goes to the newest version its template lets it upgrade to
(the UPGRADE column of ` + "`docker exos stack ls`" + `). The upgrade is recorded as a new
revision: ` + "`docker exos stack rollback`" + ` undoes it.

With --wait, the command shows each service's running/desired replicas until every service
runs its desired replicas, as ` + "`stack deploy --wait`" + ` does.`,
		Example: `  docker exos stack ls
  docker exos stack upgrade cache
  docker exos stack upgrade --version 1 --set maxmemory=512mb --wait cache`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUpgrade(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.version, "version", "", "Template `version` to upgrade to, or its folder number (default: the newest allowed)")
	AddAnswerFlags(flags, &options.answers)
	flags.BoolVar(&options.wait, "wait", false, "Wait until every service runs its desired replicas")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runUpgrade(ctx context.Context, dockerCLI command.Cli, options upgradeOptions, stack string) error {
	answers, sets, err := options.answers.Read(dockerCLI.In())
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	from, err := deployedTemplate(ctx, mgr, stack)
	if err != nil {
		return err
	}
	since := time.Now()
	res, err := mgr.UpgradeStack(ctx, stack, api.StackUpgradeRequest{Version: options.version, Answers: answers, Sets: sets})
	if err != nil {
		return fmt.Errorf("failed to upgrade stack %s: %w", stack, err)
	}
	printUpgrade(dockerCLI.Out(), stack, from, res.Template)
	PrintResult(dockerCLI.Out(), "upgraded", res)
	if !options.wait {
		return nil
	}
	return Wait(ctx, dockerCLI.Out(), mgr, res, since, options.timeout)
}

// deployedTemplate is the template the stack runs before the upgrade, read first since
// the upgrade's answer names only the new one. It is nil for a stack the manager does
// not list or that was deployed from compose files: the upgrade itself then says why.
func deployedTemplate(ctx context.Context, mgr command.ManagerClient, stack string) (*api.TemplateSource, error) {
	stacks, err := mgr.ListStacks(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to list stacks: %w", err)
	}
	for _, s := range stacks {
		if s.Name == stack {
			return s.Template, nil
		}
	}
	return nil, nil
}

// printUpgrade is "Upgrading stack cache: library/redis 7.2.4 -> 7.2.5".
func printUpgrade(out io.Writer, stack string, from, to *api.TemplateSource) {
	switch {
	case to == nil:
		return
	case from == nil:
		_, _ = fmt.Fprintf(out, "Upgrading stack %s to %s\n", stack, to.Ref())
	default:
		_, _ = fmt.Fprintf(out, "Upgrading stack %s: %s/%s %s -> %s\n", stack, to.Catalog, to.Template, from.Version, to.Version)
	}
}
