// Package commands assembles the `docker exos` command tree. It is apart from package
// command because every noun package imports that one.
package commands

import (
	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli-plugins/plugin"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/command/audit"
	"github.com/exos-platform/exos/cli-plugin/command/auth"
	"github.com/exos-platform/exos/cli-plugin/command/catalog"
	"github.com/exos-platform/exos/cli-plugin/command/dashboard"
	"github.com/exos-platform/exos/cli-plugin/command/env"
	"github.com/exos-platform/exos/cli-plugin/command/group"
	"github.com/exos-platform/exos/cli-plugin/command/hook"
	"github.com/exos-platform/exos/cli-plugin/command/login"
	"github.com/exos-platform/exos/cli-plugin/command/manager"
	"github.com/exos-platform/exos/cli-plugin/command/registry"
	"github.com/exos-platform/exos/cli-plugin/command/stack"
	"github.com/exos-platform/exos/cli-plugin/command/template"
	"github.com/exos-platform/exos/cli-plugin/command/token"
	"github.com/exos-platform/exos/cli-plugin/command/user"
	"github.com/spf13/cobra"
)

// NewRootCommand returns `exos` with every subcommand, for plugin.Run.
func NewRootCommand(dockerCLI dockercommand.Cli) *cobra.Command {
	opts := &command.ManagerOptions{}
	exosCLI := command.NewCli(dockerCLI, opts)
	cmd := &cobra.Command{
		Use:   "exos",
		Short: "Enterprise Swarm platform: environments, stacks, catalog, autoscaling",
		Long: `EXOS runs applications on Docker Swarm across environments (Dev, QA, Prod...):
stacks from compose files with revisions and rollback, and a manager service on the swarm
that keeps the state.

The plugin talks to the Docker engine exactly as docker does (docker context, DOCKER_HOST,
-H, TLS) and finds the EXOS manager through it: the service exos_manager, on the node
where its task runs. --manager or EXOS_MANAGER give the manager's URL instead, and
EXOS_TOKEN a token instead of the one ` + "`docker exos manager install`" + ` saved, and
EXOS_CA_FILE the CA to verify the manager's certificate with instead of the one saved.`,
		Example: `  docker exos manager install
  docker exos env create prod && docker exos env add-node prod node3
  docker exos stack deploy -c docker-compose.yml --env prod --wait web
  docker exos stack history web
  docker exos hook create scale --action auto
  docker exos template inspect library/mysql`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// The plugin framework initialises the Docker CLI here; a PersistentPreRunE
			// of our own replaces its hook, so it must be called explicitly.
			return plugin.PersistentPreRunE(cmd, args)
		},
	}
	cmd.PersistentFlags().StringVar(&opts.URL, "manager", "",
		"URL of the EXOS manager, e.g. https://10.0.0.5:7420 (default: found through the Docker engine; env EXOS_MANAGER)")
	cmd.AddCommand(
		manager.NewManagerCommand(exosCLI),
		env.NewEnvCommand(exosCLI),
		stack.NewStackCommand(exosCLI),
		hook.NewHookCommand(exosCLI),
		catalog.NewCatalogCommand(exosCLI),
		template.NewTemplateCommand(exosCLI),
		registry.NewRegistryCommand(exosCLI),
		login.NewLoginCommand(exosCLI),
		login.NewLogoutCommand(exosCLI),
		login.NewWhoamiCommand(exosCLI),
		user.NewUserCommand(exosCLI),
		group.NewGroupCommand(exosCLI),
		token.NewTokenCommand(exosCLI),
		auth.NewAuthCommand(exosCLI),
		audit.NewAuditCommand(exosCLI),
		dashboard.NewDashboardCommand(exosCLI),
	)
	return cmd
}
