package manager

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/cli/cli"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type uninstallOptions struct {
	purge bool
	force bool
}

func newUninstallCommand(dockerCLI command.Cli) *cobra.Command {
	options := uninstallOptions{}
	cmd := &cobra.Command{
		Use:   "uninstall [OPTIONS]",
		Short: "Remove the EXOS manager from this swarm",
		Long: `Remove the services of stack exos (the manager and its agents), the agents' network
exos_agent and their key (secret exos-agent-key). Stacks deployed with EXOS keep running,
and EXOS's own state (environments, revisions, tokens... stored as swarm configs labelled
io.exos.kind) is kept, so installing again picks up where it left off.

With --purge, that state is removed too, with the admin tokens, the token saved locally
for this swarm, the manager's CA and certificates (the next install makes a new CA, which
clients must get again) and the catalog key (the secret exos-catalog-key, removed once the
manager's service is gone): credentials of private catalogs cannot be decrypted any more. --purge
first lists what it will remove and asks for confirmation, before it removes anything;
--force skips the question. Without a terminal to ask on, --purge needs --force.`,
		Example: `  docker exos manager uninstall
  docker exos manager uninstall --purge
  docker exos manager uninstall --purge --force`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUninstall(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&options.purge, "purge", false, "Also remove all EXOS state, admin tokens and the catalog key")
	flags.BoolVarP(&options.force, "force", "f", false, "Do not prompt for confirmation")
	return cmd
}

// uninstallClient is what uninstalling needs of the Engine API.
type uninstallClient interface {
	command.EngineClient
	ServiceList(ctx context.Context, options swarm.ServiceListOptions) ([]swarm.Service, error)
	ServiceRemove(ctx context.Context, serviceID string) error
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigRemove(ctx context.Context, id string) error
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretRemove(ctx context.Context, id string) error
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
	NetworkRemove(ctx context.Context, networkID string) error
}

func runUninstall(ctx context.Context, dockerCLI command.Cli, options uninstallOptions) error {
	var engine uninstallClient = dockerCLI.Client()
	out := dockerCLI.Out()
	clusterID, err := command.SwarmID(ctx, engine)
	if err != nil {
		return err
	}
	command.ForgetManager(command.TokenDir(), clusterID)
	services, err := managerServices(ctx, engine)
	if err != nil {
		return err
	}
	if options.purge && !options.force {
		if err := confirmPurge(ctx, dockerCLI, engine, services, command.TokenPath(command.TokenDir(), clusterID)); err != nil {
			return err
		}
	}
	if err := removeServices(ctx, out, engine, services); err != nil {
		return err
	}
	if err := removeAgentObjects(ctx, out, engine, 30*time.Second, 500*time.Millisecond); err != nil {
		return err
	}
	if !options.purge {
		return nil
	}
	if err := purgeState(ctx, out, engine); err != nil {
		return err
	}
	return command.RemoveToken(command.TokenDir(), clusterID)
}

// managerServices lists every service of stack exos (the manager, and the agent when
// there is one), and nothing else.
func managerServices(ctx context.Context, engine uninstallClient) ([]swarm.Service, error) {
	services, err := engine.ServiceList(ctx, swarm.ServiceListOptions{
		Filters: filters.NewArgs(filters.Arg("label", namespaceLabel+"="+stackName)),
	})
	if err != nil {
		return nil, fmt.Errorf("failed to list the services of stack %s: %w", stackName, err)
	}
	return services, nil
}

// removeServices removes the manager's services.
func removeServices(ctx context.Context, out io.Writer, engine uninstallClient, services []swarm.Service) error {
	if len(services) == 0 {
		_, _ = fmt.Fprintln(out, "The EXOS manager is not installed on this swarm")
	}
	var errs []error
	for _, s := range services {
		if err := engine.ServiceRemove(ctx, s.ID); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("failed to remove service %s: %w", s.Spec.Name, err))
			continue
		}
		_, _ = fmt.Fprintf(out, "Removed service %s\n", s.Spec.Name)
	}
	return errors.Join(errs...)
}

// exosState lists every config and secret labelled io.exos.kind, the catalog key among
// the secrets.
func exosState(ctx context.Context, engine uninstallClient) ([]swarm.Config, []swarm.Secret, error) {
	kind := filters.NewArgs(filters.Arg("label", kindLabel))
	configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: kind})
	if err != nil {
		return nil, nil, fmt.Errorf("failed to list the EXOS configs: %w", err)
	}
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: kind})
	if err != nil {
		return nil, nil, fmt.Errorf("failed to list the EXOS secrets: %w", err)
	}
	return configs, secrets, nil
}

// purgeState removes the EXOS state. It runs after removeServices succeeded: the swarm
// refuses to remove a secret a service still references. It lists the state again rather
// than trusting what the prompt showed: a manager writes its last history as it stops.
func purgeState(ctx context.Context, out io.Writer, engine uninstallClient) error {
	configs, secrets, err := exosState(ctx, engine)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range configs {
		if err := engine.ConfigRemove(ctx, c.ID); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("failed to remove config %s: %w", c.Spec.Name, err))
		}
	}
	for _, s := range secrets {
		if err := engine.SecretRemove(ctx, s.ID); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("failed to remove secret %s: %w", s.Spec.Name, err))
		}
	}
	_, _ = fmt.Fprintf(out, "Removed %d EXOS configs and %d EXOS secrets\n", len(configs), len(secrets))
	return errors.Join(errs...)
}

// errNoTerminal refuses a purge nobody can confirm: a script that meant it says --force.
var errNoTerminal = errors.New("refusing to purge without confirmation: standard input is not a terminal; pass --force to purge anyway")

// confirmPurge prints what a purge removes and asks, as `docker system prune` does.
// Nothing is removed unless the answer is yes. (docker/cli's command.PromptForConfirmation
// would do, but v28 deprecates it for removal, so confirm asks the same way.)
func confirmPurge(ctx context.Context, dockerCLI command.Cli, engine uninstallClient, services []swarm.Service, tokenPath string) error {
	if !dockerCLI.In().IsTerminal() {
		return errNoTerminal
	}
	configs, secrets, err := exosState(ctx, engine)
	if err != nil {
		return err
	}
	out := dockerCLI.Out()
	_, _ = fmt.Fprint(out, purgeWarning(services, configs, secrets, tokenPath))
	ok, err := confirm(ctx, dockerCLI.In(), out, "Are you sure you want to continue?")
	if err != nil {
		return err
	}
	if !ok {
		return cli.StatusError{StatusCode: 1, Status: "uninstall cancelled: nothing was removed"}
	}
	return nil
}

// purgeWarning lists what a purge removes: configs by kind, secrets by name.
func purgeWarning(services []swarm.Service, configs []swarm.Config, secrets []swarm.Secret, tokenPath string) string {
	var b strings.Builder
	b.WriteString("WARNING! This will remove:\n")
	if len(services) > 0 {
		names := make([]string, 0, len(services))
		for _, s := range services {
			names = append(names, s.Spec.Name)
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "  - the EXOS manager's services: %s\n", strings.Join(names, ", "))
	}
	kinds := map[string]int{}
	for _, c := range configs {
		kinds[c.Spec.Labels[kindLabel]]++
	}
	counts := make([]string, 0, len(kinds))
	for kind, n := range kinds {
		counts = append(counts, fmt.Sprintf("%s: %d", kind, n))
	}
	sort.Strings(counts)
	fmt.Fprintf(&b, "  - all EXOS state on this swarm: %d configs", len(configs))
	if len(counts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(counts, ", "))
	}
	b.WriteString("\n")
	names := make([]string, 0, len(secrets))
	for _, s := range secrets {
		names = append(names, s.Spec.Name)
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintf(&b, "  - the EXOS secrets: %s (credentials of private catalogs cannot be decrypted any more)\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "  - the admin token saved for this swarm in %s\n\n", tokenPath)
	return b.String()
}

// confirm asks a yes/no question; anything but y or yes (or no input at all) is no. An
// interrupt while it waits ends it with ctx's error.
func confirm(ctx context.Context, in io.Reader, out io.Writer, question string) (bool, error) {
	_, _ = fmt.Fprintf(out, "%s [y/N] ", question)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(in).ReadString('\n')
		answer <- strings.ToLower(strings.TrimSpace(line))
	}()
	select {
	case <-ctx.Done():
		_, _ = fmt.Fprintln(out)
		return false, ctx.Err()
	case a := <-answer:
		return a == "y" || a == "yes", nil
	}
}
