package catalog

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/command/stack"
	"github.com/exos-platform/exos/cli-plugin/command/template"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type deployOptions struct {
	name    string
	answers stack.AnswerOptions
	env     string
	wait    bool
	timeout time.Duration
}

func newDeployCommand(dockerCLI command.Cli) *cobra.Command {
	options := deployOptions{}
	cmd := &cobra.Command{
		Use:   "deploy [OPTIONS] CATALOG/NAME[:VERSION]",
		Short: "Deploy a catalog template as a stack",
		Long: `Deploy a catalog template as a stack, and record the deploy as a revision of the stack.
Without a version, the template's default version is deployed; a version is named as
the template lists it, or by its folder number (see ` + "`docker exos template inspect`" + `).

The template's questions are answered with --answers (a YAML or JSON file of
VARIABLE: value, or "-" for stdin) and --set VARIABLE=VALUE, which wins over the file.
The manager checks every answer, fills in the defaults, and refuses the deploy, naming
each problem, when a required question has no answer or a --set misspells a question
("pasword" for "password"); nothing is deployed then.
Password answers are never recorded in the stack's history: the Library's templates
turn them into Swarm secrets, and upgrades and rollbacks keep those secrets.

A template of an environment's catalog deploys into that environment. Upgrade the stack
later with ` + "`docker exos stack upgrade`" + `; with --wait, the command waits as
` + "`docker exos stack deploy --wait`" + ` does.`,
		Example: `  docker exos catalog deploy library/redis --name cache --set password=s3cret
  docker exos catalog deploy library/mysql:8.4.3-exos1 --name db --answers mysql.yml --env qa
  docker exos catalog deploy library/postgresql --name pg --set database=shop --set password=s3cret --wait`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeploy(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.name, "name", "", "Name of the `stack` to deploy (required)")
	stack.AddAnswerFlags(flags, &options.answers)
	flags.StringVar(&options.env, "env", "", "Environment to deploy into (see \"docker exos env ls\")")
	flags.BoolVar(&options.wait, "wait", false, "Wait until every service runs its desired replicas")
	flags.DurationVar(&options.timeout, "timeout", 5*time.Minute, "How long --wait waits")
	return cmd
}

func runDeploy(ctx context.Context, dockerCLI command.Cli, options deployOptions, ref string) error {
	req, err := newDeployRequest(dockerCLI.In(), options, ref)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	since := time.Now()
	res, err := mgr.DeployTemplate(ctx, options.name, req)
	if err != nil {
		return fmt.Errorf("failed to deploy %s as stack %s: %w", ref, options.name, err)
	}
	printDeploying(dockerCLI.Out(), res)
	stack.PrintResult(dockerCLI.Out(), "deployed", res)
	if !options.wait {
		return nil
	}
	return stack.Wait(ctx, dockerCLI.Out(), mgr, res, since, options.timeout)
}

// newDeployRequest checks the arguments and flags and reads the answers file before
// anything is sent.
func newDeployRequest(stdin io.Reader, options deployOptions, ref string) (api.TemplateDeployRequest, error) {
	if err := template.ValidateRef(ref); err != nil {
		return api.TemplateDeployRequest{}, err
	}
	if options.name == "" {
		return api.TemplateDeployRequest{}, fmt.Errorf("--name is required: name the stack to deploy %s as, such as --name cache", ref)
	}
	answers, sets, err := options.answers.Read(stdin)
	if err != nil {
		return api.TemplateDeployRequest{}, err
	}
	return api.TemplateDeployRequest{Template: ref, Answers: answers, Sets: sets, Env: options.env}, nil
}

// printDeploying names what was deployed: the version the manager resolved (the default
// one when none was asked for) and the catalog commit it was read from.
func printDeploying(out io.Writer, res api.DeployResult) {
	if res.Template == nil {
		return
	}
	_, _ = fmt.Fprintf(out, "Deploying %s (catalog commit %s) as stack %s\n", res.Template.Ref(), command.ShortCommit(res.Template.Commit), res.Stack)
}
