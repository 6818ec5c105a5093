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
	prune   bool
	wait    bool
	timeout time.Duration
	native  nativeDeployOptions
}

func newDeployCommand(dockerCLI command.Cli) *cobra.Command {
	options := deployOptions{}
	cmd := &cobra.Command{
		Use:     "deploy [OPTIONS] STACK",
		Aliases: []string{"up"},
		Short:   "Deploy a new stack or update an existing one",
		Long: `Deploy a new stack or update an existing one, and record the deploy as a new revision.

The files are validated here first: a problem is reported with its file, line and key, and
nothing is sent to the manager. Any file ` + "`docker stack deploy`" + ` deploys is taken, and
converted to the same services; what it would ignore (build, container_name, restart...)
or leave blank (an unset ${VAR}) is printed as a warning, and --strict refuses the
deploy instead. Variables the files reference (${VAR}) are taken from this shell's
environment, and only those are sent. Files that configs and secrets name with ` + "`file:`" + `
and services with ` + "`env_file:`" + ` are read relative to the first compose file and sent
along; relative bind-mount sources (./data) are resolved against that directory, and ~
against HOME, as docker resolves them.

Services of the stack that the files no longer have are kept, as docker keeps them;
--prune removes them.

With --wait, the command shows each service's running/desired replicas until every service
runs its desired replicas with no rolling update in progress, and fails (exit code 1) if a
task of the new spec fails, an update is paused or rolled back, or --timeout passes.

docker stack deploy's flags work as they do there: --detach=false is --wait, --quiet
prints only warnings and errors, and --with-registry-auth sends the credentials of your
docker login for the registries of the stack's images, which go to Swarm with the
services (EXOS records them nowhere). The registries EXOS knows (docker exos registry
add) need neither: their credentials go with every deploy, and their images are pinned
to digests whatever --resolve-image says.`,
		Example: `  docker exos stack deploy -c docker-compose.yml web
  docker exos stack deploy -c docker-compose.yml -c prod.yml -x exos-compose.yml --env prod web
  cat docker-compose.yml | docker exos stack deploy -c - --wait --timeout 5m web`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			wait, err := options.native.waits(cmd.Flags(), options.wait)
			if err != nil {
				return err
			}
			options.wait = wait
			return runDeploy(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	addFileFlags(flags, &options.files)
	addNativeDeployFlags(flags, &options.native)
	flags.BoolVar(&options.files.strict, "strict", false, "Refuse the deploy if it has warnings")
	flags.BoolVar(&options.prune, "prune", false, "Prune services that are no longer referenced")
	flags.BoolVar(&options.wait, "wait", false, "Wait until every service runs its desired replicas")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runDeploy(ctx context.Context, dockerCLI command.Cli, options deployOptions, stack string) error {
	if err := options.native.checkResolveImage(dockerCLI.Err()); err != nil {
		return err
	}
	in, err := loadInput(stack, options.files, dockerCLI.In(), os.LookupEnv)
	if err != nil {
		return localError(stack, err)
	}
	st, err := composeext.Load(ctx, in)
	if err != nil {
		return localError(stack, err)
	}
	PrintWarnings(dockerCLI.Err(), st.Warnings)
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	req := deployRequest(in, options.files.env, options.prune)
	if options.native.registryAuth {
		if req.RegistryAuth, err = clientRegistryAuth(dockerCLI.ConfigFile(), st); err != nil {
			return err
		}
	}
	since := time.Now()
	res, err := mgr.DeployStack(ctx, stack, req)
	if err != nil {
		return fmt.Errorf("failed to deploy stack %s: %w", stack, err)
	}
	out := options.native.progress(dockerCLI.Out())
	PrintResult(out, "deployed", res)
	if !options.wait {
		return nil
	}
	return Wait(ctx, out, mgr, res, since, options.timeout)
}

// PrintResult says which revision a deploy, rollback or upgrade recorded and what it did to
// each service, and which services it kept without --prune. verb is what was done:
// "deployed", "upgraded"...
func PrintResult(out io.Writer, verb string, res api.DeployResult) {
	_, _ = fmt.Fprintf(out, "Stack %s %s as revision %d\n", res.Stack, verb, res.Revision)
	if res.Moved {
		_, _ = fmt.Fprintf(out, "Stack %s moved from %s to %s\n", res.Stack, envName(res.PreviousEnv), envName(res.Env))
	}
	for _, s := range res.Services {
		_, _ = fmt.Fprintf(out, "  %-9s %s\n", s.Action, s.Name)
	}
	for _, name := range res.NotInRevision {
		_, _ = fmt.Fprintf(out, "  %-9s %s (not in this revision; stack deploy --prune removes it)\n", "kept", name)
	}
}

func envName(env string) string {
	if env == "" {
		return "no environment"
	}
	return "environment " + env
}

// PrintWarnings prints what the local load accepted but a user should know, one line
// each. The manager finds the same warnings: only these are printed.
func PrintWarnings(out io.Writer, warnings []composeext.Problem) {
	for _, w := range warnings {
		_, _ = fmt.Fprintf(out, "WARNING: %s\n", w.String())
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
