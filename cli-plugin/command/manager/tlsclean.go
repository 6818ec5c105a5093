package manager

import (
	"context"
	"fmt"
	"io"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// removeStaleTLS removes, once the manager runs spec, the TLS objects it no longer uses:
// certificates of the user's it replaced and, after --tls-new-ca, the CAs before. An
// unused CA is kept otherwise (under --insecure-http or --tls-cert), so that going back
// to it changes nothing for the clients that pinned it. A failure is only reported: the
// manager already serves what install asked for.
func removeStaleTLS(ctx context.Context, out io.Writer, engine tlsStore, spec swarm.ServiceSpec, t transport) {
	used := map[string]bool{}
	for _, s := range spec.TaskTemplate.ContainerSpec.Secrets {
		used[s.SecretID] = true
	}
	for _, c := range spec.TaskTemplate.ContainerSpec.Configs {
		used[c.ConfigID] = true
	}
	kinds := []string{tlsOwnKind}
	if t.newCA {
		kinds = append(kinds, tlsCAKind, tlsCAKeyKind)
	}
	for _, kind := range kinds {
		byKind := filters.NewArgs(filters.Arg("label", kindLabel+"="+kind))
		configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: byKind})
		warnUnremoved(out, "configs of kind "+kind, err)
		for _, c := range configs {
			if !used[c.ID] {
				warnUnremoved(out, "config "+c.Spec.Name, ignoreNotFound(engine.ConfigRemove(ctx, c.ID)))
			}
		}
		secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: byKind})
		warnUnremoved(out, "secrets of kind "+kind, err)
		for _, s := range secrets {
			if !used[s.ID] {
				warnUnremoved(out, "secret "+s.Spec.Name, ignoreNotFound(engine.SecretRemove(ctx, s.ID)))
			}
		}
	}
}

func warnUnremoved(out io.Writer, what string, err error) {
	if err != nil {
		_, _ = fmt.Fprintf(out, "Warning: could not remove the unused %s: %v\n", what, err)
	}
}

func ignoreNotFound(err error) error {
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	return err
}

// health is how install checks the manager's /healthz: over TLS, with the CA it just set
// up (so a manager serving anything else is not taken for ready).
func (t transport) health() func(ctx context.Context, url string) error {
	if t.caPEM == nil {
		return checkHealth
	}
	return func(ctx context.Context, url string) error {
		hc, err := command.PinnedHTTPClient(command.PinnedCA{PEM: t.caPEM, Source: "installed"}, t.serverName)
		if err != nil {
			return err
		}
		hc.Timeout = 2 * time.Second
		return api.NewClient(url, "", hc).Health(ctx)
	}
}

// currentService is the manager's service as it is, nil when it is not installed.
func currentService(ctx context.Context, engine serviceWriter) (*swarm.Service, error) {
	svc, _, err := engine.ServiceInspectWithRaw(ctx, command.ManagerService, swarm.ServiceInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to inspect service %s: %w", command.ManagerService, err)
	}
	return &svc, nil
}
