package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type deployOptions struct {
	files   fileOptions
	wait    bool
	timeout time.Duration
}

func newDeployCommand(dockerCLI command.Cli) *cobra.Command {
	options := deployOptions{}
	cmd := &cobra.Command{
		Use:     "deploy [OPTIONS] STACK",
		Aliases: []string{"up"},
		Short:   "Deploy a new stack or update an existing one",
		Long: `Deploy a new stack or update an existing one, and record the deploy as a new revision.

The files are validated here first: a problem is reported with its file, line and key, and
nothing is sent to the manager. Variables the files reference (${VAR}) are taken from this
shell's environment, and only those are sent. Files that top-level configs and secrets
name with ` + "`file:`" + ` are read relative to the first compose file and sent along.

With --wait, the command shows each service's running/desired replicas until every service
runs its desired replicas with no rolling update in progress, and fails (exit code 1) if a
task of the new spec fails, an update is paused or rolled back, or --timeout passes.`,
		Example: `  docker exos stack deploy -c docker-compose.yml web
  docker exos stack deploy -c docker-compose.yml -c prod.yml -x exos-compose.yml --env prod web
  cat docker-compose.yml | docker exos stack deploy -c - --wait --timeout 5m web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeploy(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	addFileFlags(flags, &options.files)
	flags.BoolVar(&options.wait, "wait", false, "Wait until every service runs its desired replicas")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runDeploy(ctx context.Context, dockerCLI command.Cli, options deployOptions, stack string) error {
	in, err := loadInput(stack, options.files, dockerCLI.In(), os.LookupEnv)
	if err != nil {
		return localError(stack, err)
	}
	if _, err := composeext.Load(ctx, in); err != nil {
		return localError(stack, err)
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	since := time.Now()
	res, err := mgr.DeployStack(ctx, stack, deployRequest(in, options.files.env))
	if err != nil {
		return fmt.Errorf("failed to deploy stack %s: %w", stack, err)
	}
	PrintResult(dockerCLI.Out(), "deployed", res)
	if !options.wait {
		return nil
	}
	return Wait(ctx, dockerCLI.Out(), mgr, res, since, options.timeout)
}

// PrintResult says which revision a deploy, rollback or upgrade recorded and what it did to
// each service. verb is what was done: "deployed", "upgraded"...
func PrintResult(out io.Writer, verb string, res api.DeployResult) {
	_, _ = fmt.Fprintf(out, "Stack %s %s as revision %d\n", res.Stack, verb, res.Revision)
	for _, s := range res.Services {
		_, _ = fmt.Fprintf(out, "  %-9s %s\n", s.Action, s.Name)
	}
}

// localError turns a problem found before anything was sent into the exit status 1 error
// the user sees, one problem per line.
func localError(stack string, err error) error {
	var verr *composeext.ValidationError
	if !errors.As(err, &verr) {
		return cli.StatusError{StatusCode: 1, Status: err.Error(), Cause: err}
	}
	return cli.StatusError{StatusCode: 1, Status: formatProblems(stack, verr.Problems), Cause: err}
}

func formatProblems(stack string, problems []composeext.Problem) string {
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	lines := []string{fmt.Sprintf("stack %s is not valid (%d %s; nothing was deployed):", stack, len(problems), noun)}
	for _, p := range problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}
