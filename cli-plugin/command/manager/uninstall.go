package manager

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/cli/cli"
	"github.com/docker/docker/api/types/filters"
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
		Long: `Remove the services of stack exos (the manager). Stacks deployed with EXOS keep running,
and EXOS's own state (environments, revisions, tokens... stored as swarm configs labelled
io.exos.kind) is kept, so installing again picks up where it left off.

With --purge, that state is removed too, with the admin tokens, the token saved locally
for this swarm and the catalog key (the secret exos-catalog-key, removed once the manager's
service is gone): credentials of private catalogs cannot be decrypted any more. --purge
asks for confirmation unless --force is given.`,
		Example: `  docker exos manager uninstall
  docker exos manager uninstall --purge --force`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUninstall(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&options.purge, "purge", false, "Also remove all EXOS state, admin tokens and the catalog key")
	flags.BoolVarP(&options.force, "force", "f", false, "Do not ask for confirmation")
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
}

func runUninstall(ctx context.Context, dockerCLI command.Cli, options uninstallOptions) error {
	var engine uninstallClient = dockerCLI.Client()
	out := dockerCLI.Out()
	clusterID, err := command.SwarmID(ctx, engine)
	if err != nil {
		return err
	}
	if err := removeServices(ctx, out, engine); err != nil {
		return err
	}
	if !options.purge {
		return nil
	}
	if !options.force && !confirm(dockerCLI.In(), out, "This removes all EXOS state on this swarm "+
		"(environments, revisions, users, hooks, catalogs...), its admin tokens and its catalog key.\n"+
		"Are you sure you want to continue?") {
		return cli.StatusError{StatusCode: 1, Status: "purge cancelled: EXOS state kept"}
	}
	if err := purgeState(ctx, out, engine); err != nil {
		return err
	}
	return command.RemoveToken(command.TokenDir(), clusterID)
}

// removeServices removes every service of stack exos (the manager, and the agent when
// there is one), and nothing else.
func removeServices(ctx context.Context, out io.Writer, engine uninstallClient) error {
	services, err := engine.ServiceList(ctx, swarm.ServiceListOptions{
		Filters: filters.NewArgs(filters.Arg("label", namespaceLabel+"="+stackName)),
	})
	if err != nil {
		return fmt.Errorf("failed to list the services of stack %s: %w", stackName, err)
	}
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

// purgeState removes every config and secret labelled io.exos.kind, the catalog key
// among them. It runs after removeServices succeeded: the swarm refuses to remove a
// secret a service still references.
func purgeState(ctx context.Context, out io.Writer, engine uninstallClient) error {
	kind := filters.NewArgs(filters.Arg("label", kindLabel))
	configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: kind})
	if err != nil {
		return fmt.Errorf("failed to list the EXOS configs: %w", err)
	}
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: kind})
	if err != nil {
		return fmt.Errorf("failed to list the EXOS secrets: %w", err)
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

// confirm asks a yes/no question; anything but y or yes (or no input at all) is no.
func confirm(in io.Reader, out io.Writer, question string) bool {
	_, _ = fmt.Fprintf(out, "%s [y/N] ", question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}
