// Package command holds what every `docker exos` command shares: the Cli they are given
// and the way the EXOS manager is found and authenticated. The commands themselves live in
// one package per noun (stack, env, manager); the command tree is assembled in package
// commands, because the noun packages import this one.
package command

import (
	"context"
	"os"

	"github.com/docker/cli/cli/command"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/manager/api"
)

// ManagerClient is what the commands use of the EXOS manager's API. *api.Client implements
// it; tests give the commands a fake.
type ManagerClient interface {
	BaseURL() string
	Health(ctx context.Context) error
	Info(ctx context.Context) (api.Info, error)

	DeployStack(ctx context.Context, name string, req api.DeployRequest) (api.DeployResult, error)
	RollbackStack(ctx context.Context, name string, to int) (api.DeployResult, error)
	DeployTemplate(ctx context.Context, name string, req api.TemplateDeployRequest) (api.DeployResult, error)
	UpgradeStack(ctx context.Context, name string, req api.StackUpgradeRequest) (api.DeployResult, error)
	ListStacks(ctx context.Context) ([]api.Stack, error)
	InspectStack(ctx context.Context, name string) (api.StackDetail, error)
	RemoveStack(ctx context.Context, name string) (api.StackRemoval, error)
	StackServices(ctx context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error)
	StackContainers(ctx context.Context, name string, q api.QueryOptions) ([]api.Container, uint64, error)
	StackHistory(ctx context.Context, name string) ([]api.Revision, error)
	StackRevision(ctx context.Context, name string, number int) (api.Revision, error)
	SetStackImage(ctx context.Context, name string, req api.SetImageRequest) (api.SetImageResult, error)
	StackDiff(ctx context.Context, name string, from, to int) (api.StackDiff, error)

	CreateEnvironment(ctx context.Context, req api.EnvironmentCreateRequest) (api.Environment, error)
	ListEnvironments(ctx context.Context) ([]api.Environment, error)
	InspectEnvironment(ctx context.Context, name string) (api.Environment, error)
	RemoveEnvironment(ctx context.Context, name string) error
	AddNode(ctx context.Context, env, node string) (api.Environment, error)
	RemoveNode(ctx context.Context, env, node string, opts api.RemoveNodeOptions) (api.Environment, error)

	CreateHook(ctx context.Context, req api.HookCreateRequest) (api.HookSecret, error)
	ListHooks(ctx context.Context) ([]api.Hook, error)
	InspectHook(ctx context.Context, id string) (api.Hook, error)
	RotateHook(ctx context.Context, id string) (api.HookSecret, error)
	RemoveHook(ctx context.Context, id string) error
	ScaleHistory(ctx context.Context, hook, stack string) ([]api.ScaleDecision, error)
	RevokeHook(ctx context.Context, id string) (api.Hook, error)
	DeployHistory(ctx context.Context, hook, stack string) ([]api.DeployDelivery, error)

	AddCatalog(ctx context.Context, req api.CatalogAddRequest) (api.Catalog, error)
	ListCatalogs(ctx context.Context) ([]api.Catalog, error)
	RefreshCatalog(ctx context.Context, name string) ([]api.Catalog, error)
	RemoveCatalog(ctx context.Context, name string) error
	ListTemplates(ctx context.Context, catalog, category, env string) ([]api.Template, error)
	InspectTemplate(ctx context.Context, ref string) (api.Template, error)

	IdentityClient
	AuditClient
	RegistryClient
	DashboardClient
}

var _ ManagerClient = (*api.Client)(nil)

// Cli is what every exos command is built with: the Docker CLI's streams and Engine client
// (which honour contexts, DOCKER_HOST, -H and TLS) plus the EXOS manager.
type Cli interface {
	command.Streams
	Client() client.APIClient
	// ConfigFile is the Docker CLI's configuration: where the user's registry
	// credentials are (docker login).
	ConfigFile() *configfile.ConfigFile
	// Manager returns a client for the swarm's EXOS manager, found and authenticated as
	// described in ManagerOptions.
	Manager(ctx context.Context) (ManagerClient, error)
	// ManagerAs returns a client for the same manager that sends token instead ("" for
	// none): login and logout choose the credential themselves.
	ManagerAs(ctx context.Context, token string) (ManagerClient, error)
	// LoginStore says where the login of the swarm the Docker endpoint manages is saved.
	LoginStore(ctx context.Context) (LoginStore, error)
}

// ManagerOptions say how to reach the manager. They are filled by the root command's flags
// and read when a command first asks for the manager.
type ManagerOptions struct {
	// URL overrides discovery (flag --manager; otherwise EXOS_MANAGER).
	URL string
}

// NewCli wraps the Docker CLI. opts is read lazily: flags are parsed after the command
// tree is built.
func NewCli(dockerCLI command.Cli, opts *ManagerOptions) Cli {
	return &exosCli{Cli: dockerCLI, opts: opts, getenv: os.Getenv}
}

type exosCli struct {
	command.Cli
	opts    *ManagerOptions
	getenv  func(string) string
	manager ManagerClient
}

// Manager finds the manager once per run and reuses the client.
func (c *exosCli) Manager(ctx context.Context) (ManagerClient, error) {
	if c.manager != nil {
		return c.manager, nil
	}
	m, err := c.dialManager(ctx, managerAddress{URL: c.managerURL(), Token: c.getenv("EXOS_TOKEN")})
	if err != nil {
		return nil, err
	}
	c.manager = m
	return m, nil
}

// managerURL is the manager's URL the user gave (--manager, else EXOS_MANAGER), "" to
// find it through the Engine.
func (c *exosCli) managerURL() string {
	if c.opts.URL != "" {
		return c.opts.URL
	}
	return c.getenv("EXOS_MANAGER")
}
