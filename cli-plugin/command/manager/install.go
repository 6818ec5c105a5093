package manager

import (
	"context"
	"fmt"
	"io"
	"path"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/cli/cli"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type installOptions struct {
	image      string
	port       uint32
	socketPath string
	// agentSocket is the Docker socket on every node, for the agent.
	agentSocket string
	catalogDir  string
	timeout     time.Duration
	tls         tlsOptions
	// revisionHistory is how many revisions of each stack the manager keeps unarchived.
	revisionHistory int
}

func newInstallCommand(dockerCLI command.Cli) *cobra.Command {
	options := installOptions{}
	cmd := &cobra.Command{
		Use:   "install [OPTIONS]",
		Short: "Install (or update) the EXOS manager on this swarm",
		Long: `Install the EXOS manager on the swarm that the current Docker endpoint manages.

It creates an admin token, stores its SHA-256 hash in the swarm (config
exos-admin-token-<hash prefix>) and saves the token itself, readable only by you, in
<docker config dir>/exos/<swarm ID>.json. It creates the secret exos-catalog-key, a
random key the manager encrypts the credentials of private catalogs with, unless the
swarm has it already. Then it creates or updates the service exos_manager and waits until
the manager answers. It also runs exos_agent on every node (the same image), which
reports the node's containers, load and volumes to the manager every 5 s over the
overlay network exos_agent, with the key in secret exos-agent-key. Running it again is harmless: the saved token is kept while the
swarm still knows it, the catalog key is never replaced, and the service is updated in
place. No other service or swarm setting is touched.

The manager serves its API and hooks over HTTPS. By default install makes a CA for the
swarm once (config exos-tls-ca-<ID>, its key in secret exos-tls-ca-key-<ID>) and the
manager issues its own certificate from it for every manager node's addresses and names
(and --tls-san). Every later install reuses that CA; --tls-new-ca replaces it. The CA is
saved beside the token: the plugin accepts the manager only with a certificate from it
(` + "`docker exos manager ca`" + ` prints it, for Alertmanager or CI). --tls-cert and --tls-key serve a
certificate of yours instead (checked first; --tls-ca-file names the CA that signed it),
kept by later installs that name none. --insecure-http serves plain HTTP: tokens then
cross the network in clear, and every command warns about it. Installing again without
it switches the manager to HTTPS; the saved token keeps working.

The manager keeps the newest --revision-history revisions of each stack (50 by default)
as Swarm configs of their own and compacts older ones into archive segments, so the
swarm's configs stay bounded however often stacks are deployed; stack history, rollback
and diff still reach every revision.`,
		Example: `  docker exos manager install
  docker --context prod exos manager install --image registry.local/exos/manager:1.2.0 --port 7420
  docker exos manager install --tls-san exos.example.com
  docker exos manager install --tls-cert exos.crt --tls-key exos.key --tls-ca-file corp-ca.pem`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInstall(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.image, "image", defaultImage(), "Manager image")
	flags.Uint32Var(&options.port, "port", command.ManagerPort, "Port the manager is published on, on its node")
	flags.StringVar(&options.socketPath, "docker-socket", dockerSocket, "Path of the Docker socket on the manager nodes, mounted into the manager")
	flags.StringVar(&options.agentSocket, "agent-docker-socket", dockerSocket, "Path of the Docker socket on every node, mounted into the agent (may use Swarm templates: {{.Node.Hostname}})")
	flags.StringVar(&options.catalogDir, "catalog-dir", "", "Directory of Git catalogs on the manager nodes, mounted read-only at "+catalogMount+" in the manager, for catalog add NAME "+catalogMount+"/REPO")
	flags.DurationVar(&options.timeout, "timeout", 2*time.Minute, "How long to wait for the manager to answer")
	flags.IntVar(&options.revisionHistory, "revision-history", api.DefaultKeptRevisions, "Revisions of each stack the manager stores as configs of their own; older ones are compacted into archive segments (still listed, read and rolled back to)")
	options.tls.addFlags(flags)
	return cmd
}

// installClient is what installing needs of the Engine API.
type installClient interface {
	command.EngineClient
	tokenStore
	secretStore
	serviceWriter
	tlsStore
	networkStore
}

func runInstall(ctx context.Context, dockerCLI command.Cli, options installOptions) error {
	if options.revisionHistory < 1 {
		return fmt.Errorf("--revision-history %d: a stack keeps at least its current revision", options.revisionHistory)
	}
	if options.catalogDir != "" && !path.IsAbs(options.catalogDir) {
		return fmt.Errorf("--catalog-dir %q must be an absolute path: it names a directory on the manager nodes", options.catalogDir)
	}
	var engine installClient = dockerCLI.Client()
	out := dockerCLI.Out()
	clusterID, err := command.SwarmID(ctx, engine)
	if err != nil {
		return err
	}
	command.ForgetManager(command.TokenDir(), clusterID)
	current, err := currentService(ctx, engine)
	if err != nil {
		return err
	}
	tlsPlan, err := planTLS(ctx, out, engine, current, options.tls)
	if err != nil {
		return err
	}
	if err := installAdminToken(ctx, out, engine, command.TokenDir(), clusterID); err != nil {
		return err
	}
	catalogKeyID, err := installCatalogKey(ctx, out, engine)
	if err != nil {
		return err
	}
	agentKeyID, err := ensureAgentKey(ctx, out, engine)
	if err != nil {
		return err
	}
	networkID, err := ensureAgentNetwork(ctx, out, engine)
	if err != nil {
		return err
	}
	serving, err := tlsPlan.apply(ctx, out, engine, clusterID)
	if err != nil {
		return err
	}
	spec := managerSpec(specOptions{
		image:           options.image,
		port:            options.port,
		socketPath:      options.socketPath,
		catalogDir:      options.catalogDir,
		catalogKeyID:    catalogKeyID,
		transport:       serving,
		agentKeyID:      agentKeyID,
		agentNetworkID:  networkID,
		revisionHistory: options.revisionHistory,
	})
	if err := deployManager(ctx, out, engine, spec); err != nil {
		return err
	}
	agent := agentSpec(agentSpecOptions{image: options.image, socketPath: options.agentSocket, keyID: agentKeyID, networkID: networkID, transport: serving})
	if err := deployManager(ctx, out, engine, agent); err != nil {
		return err
	}
	// The plugin trusts this CA, and no other, for this swarm from now on.
	if err := command.SaveCA(command.TokenDir(), clusterID, serving.caPEM); err != nil {
		return err
	}
	url, err := waitForManager(ctx, out, readiness{find: command.FindManager, engine: engine, health: serving.health(), want: spec.TaskTemplate.ContainerSpec}, options.timeout)
	if err != nil {
		return err
	}
	removeStaleTLS(ctx, out, engine, spec, serving)
	_, _ = fmt.Fprintf(out, "EXOS manager is ready at %s\n", url)
	if serving.caPEM == nil {
		_, _ = fmt.Fprintf(out, "WARNING: %s\n", command.PlainHTTPWarning(command.Endpoint{URL: url, Transport: serving.scheme}))
	}
	return nil
}

// serviceWriter is what creating or updating the manager's service needs.
type serviceWriter interface {
	ServiceInspectWithRaw(ctx context.Context, serviceID string, options swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	ServiceCreate(ctx context.Context, service swarm.ServiceSpec, options swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error)
	ServiceUpdate(ctx context.Context, serviceID string, version swarm.Version, service swarm.ServiceSpec, options swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error)
}

// deployManager creates the service, or updates it at the version it was read at (so a
// concurrent change is refused, not overwritten). The registry is not queried: images
// may be loaded on the nodes, with no registry to ask.
func deployManager(ctx context.Context, out io.Writer, engine serviceWriter, spec swarm.ServiceSpec) error {
	current, _, err := engine.ServiceInspectWithRaw(ctx, spec.Name, swarm.ServiceInspectOptions{})
	var warnings []string
	switch {
	case cerrdefs.IsNotFound(err):
		_, _ = fmt.Fprintf(out, "Creating service %s (%s)\n", spec.Name, spec.TaskTemplate.ContainerSpec.Image)
		resp, err := engine.ServiceCreate(ctx, spec, swarm.ServiceCreateOptions{QueryRegistry: false})
		if err != nil {
			return fmt.Errorf("failed to create service %s: %w", spec.Name, err)
		}
		warnings = resp.Warnings
	case err != nil:
		return fmt.Errorf("failed to inspect service %s: %w", spec.Name, err)
	default:
		_, _ = fmt.Fprintf(out, "Updating service %s (%s)\n", spec.Name, spec.TaskTemplate.ContainerSpec.Image)
		resp, err := engine.ServiceUpdate(ctx, current.ID, current.Version, spec, swarm.ServiceUpdateOptions{QueryRegistry: false})
		if err != nil {
			return fmt.Errorf("failed to update service %s: %w", spec.Name, err)
		}
		warnings = resp.Warnings
	}
	for _, w := range warnings {
		_, _ = fmt.Fprintln(out, "Warning:", w)
	}
	return nil
}
