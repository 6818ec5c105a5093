package manager

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/tlsconf"
)

// The swarm's CA is a pair: config exos-tls-ca-<ID> holds its certificate (what clients
// pin; the plugin reads it through the Docker endpoint) and secret exos-tls-ca-key-<ID>
// its key (only the manager reads it). Both carry tlsCALabel=<ID>, the certificate's
// contentID. The pair is made once per swarm and reused by every install: clients that
// pinned the CA (the plugin, Alertmanager, CI) keep working.
const (
	tlsCAKind       = "tls-ca"
	tlsCAKeyKind    = "tls-ca-key"
	tlsCALabel      = "io.exos.tls.ca"
	caConfigPrefix  = "exos-tls-ca-"
	caSecretPrefix  = "exos-tls-ca-key-"
	caKeySecretFile = "exos-tls-ca-key"
)

// ensureCA returns the transport of a manager that issues its certificate from the
// swarm's CA, made now when the swarm has none or o.newCA asks for a new one.
func ensureCA(ctx context.Context, out io.Writer, engine tlsStore, current *swarm.Service, o tlsOptions, clusterID string) (transport, error) {
	configs, err := engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("label", kindLabel+"="+tlsCAKind))})
	if err != nil {
		return transport{}, fmt.Errorf("failed to look for the swarm's CA: %w", err)
	}
	secrets, err := engine.SecretList(ctx, swarm.SecretListOptions{Filters: filters.NewArgs(filters.Arg("label", kindLabel+"="+tlsCAKeyKind))})
	if err != nil {
		return transport{}, fmt.Errorf("failed to look for the swarm's CA key: %w", err)
	}
	if !o.newCA {
		config, secret := pickCA(configs, secrets, current)
		if config != nil {
			return reuseCA(ctx, out, engine, *config, *secret, o.sans)
		}
		if len(configs) > 0 {
			return transport{}, fmt.Errorf("the swarm has the manager's CA (config %s) but not its key (secret %s%s): "+
				"pass --tls-new-ca to make a new CA (every client must then get the new one)", configs[0].Spec.Name, caSecretPrefix, configs[0].Spec.Labels[tlsCALabel])
		}
	}
	return createCA(ctx, out, engine, o.sans, clusterID)
}

// pickCA returns a CA pair: the one the manager uses now, else the newest complete one.
func pickCA(configs []swarm.Config, secrets []swarm.Secret, current *swarm.Service) (*swarm.Config, *swarm.Secret) {
	slices.SortFunc(configs, func(a, b swarm.Config) int { return b.CreatedAt.Compare(a.CreatedAt) })
	if current != nil && current.Spec.TaskTemplate.ContainerSpec != nil {
		for _, ref := range current.Spec.TaskTemplate.ContainerSpec.Configs {
			i := slices.IndexFunc(configs, func(c swarm.Config) bool { return c.ID == ref.ConfigID })
			if i > 0 {
				configs[0], configs[i] = configs[i], configs[0]
			}
		}
	}
	for i, c := range configs {
		for j, s := range secrets {
			if id := c.Spec.Labels[tlsCALabel]; id != "" && s.Spec.Labels[tlsCALabel] == id {
				return &configs[i], &secrets[j]
			}
		}
	}
	return nil, nil
}

func reuseCA(ctx context.Context, out io.Writer, engine tlsStore, config swarm.Config, secret swarm.Secret, sans []string) (transport, error) {
	full, _, err := engine.ConfigInspectWithRaw(ctx, config.ID)
	if err != nil {
		return transport{}, fmt.Errorf("failed to read the swarm's CA (config %s): %w", config.Spec.Name, err)
	}
	t, err := caTransport(full.Spec.Data, config.ID, config.Spec.Name, secret.ID, secret.Spec.Name, sans)
	if err == nil {
		_, _ = fmt.Fprintf(out, "Using the swarm's CA (config %s, SHA-256 fingerprint %s)\n", config.Spec.Name, fingerprintOf(full.Spec.Data))
	}
	return t, err
}

// createCA makes a new CA: the key's secret first, then the certificate's config, so a
// config always has its key (a key left without its config by a failure is removed).
func createCA(ctx context.Context, out io.Writer, engine tlsStore, sans []string, clusterID string) (transport, error) {
	certPEM, keyPEM, err := tlsconf.NewCA("EXOS CA for swarm "+clusterID, time.Now())
	if err != nil {
		return transport{}, err
	}
	id := contentID(certPEM)
	secretName, configName := caSecretPrefix+id, caConfigPrefix+id
	secret, err := engine.SecretCreate(ctx, swarm.SecretSpec{
		Annotations: swarm.Annotations{Name: secretName, Labels: map[string]string{kindLabel: tlsCAKeyKind, tlsCALabel: id}},
		Data:        keyPEM,
	})
	if err != nil {
		return transport{}, fmt.Errorf("failed to store the CA's key in secret %s: %w", secretName, err)
	}
	config, err := engine.ConfigCreate(ctx, swarm.ConfigSpec{
		Annotations: swarm.Annotations{Name: configName, Labels: map[string]string{kindLabel: tlsCAKind, tlsCALabel: id}},
		Data:        certPEM,
	})
	if err != nil {
		err = fmt.Errorf("failed to store the CA's certificate in config %s: %w", configName, err)
		return transport{}, errors.Join(err, engine.SecretRemove(ctx, secret.ID))
	}
	t, err := caTransport(certPEM, config.ID, configName, secret.ID, secretName, sans)
	if err != nil {
		return transport{}, err
	}
	t.newCA = true
	_, _ = fmt.Fprintf(out, "Created the swarm's CA (config %s, secret %s, SHA-256 fingerprint %s)\n", configName, secretName, fingerprintOf(certPEM))
	return t, nil
}

// caTransport has the manager issue its certificate from the CA: certificate mounted at
// command.CAPath, key as a secret.
func caTransport(certPEM []byte, configID, configName, secretID, secretName string, sans []string) (transport, error) {
	if _, err := tlsconf.ParseCertificates(certPEM); err != nil {
		return transport{}, fmt.Errorf("the swarm's CA (config %s) is damaged: %w; pass --tls-new-ca to make a new one", configName, err)
	}
	args := []string{"--tls-ca-cert=" + command.CAPath, "--tls-ca-key=" + secretsDir + caKeySecretFile}
	for _, san := range sans {
		args = append(args, "--tls-san="+san)
	}
	return transport{
		scheme:  command.TransportHTTPS,
		args:    args,
		secrets: []*swarm.SecretReference{secretFile(secretID, secretName, caKeySecretFile)},
		configs: []*swarm.ConfigReference{caConfigFile(configID, configName)},
		labels:  map[string]string{tlsModeLabel: tlsModeCA},
		caPEM:   certPEM,
	}, nil
}

// fingerprintOf is the SHA-256 fingerprint of the first certificate of a PEM bundle.
func fingerprintOf(certPEM []byte) string {
	certs, err := tlsconf.ParseCertificates(certPEM)
	if err != nil {
		return "unknown"
	}
	return command.Fingerprint(certs[0].Raw)
}
