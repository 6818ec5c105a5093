package manager

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
)

// A certificate of the user's (--tls-cert) is three objects named after the certificate's
// contentID: secrets exos-tls-cert-<ID> and exos-tls-key-<ID>, and config
// exos-tls-own-ca-<ID> with the CA clients pin. All are labelled tlsOwnKind; the ones the
// manager no longer uses are removed once it is ready.
const (
	tlsOwnKind        = "tls-own"
	tlsOwnLabel       = "io.exos.tls.own"
	ownCertPrefix     = "exos-tls-cert-"
	ownKeyPrefix      = "exos-tls-key-"
	ownCAPrefix       = "exos-tls-own-ca-"
	ownCertSecretFile = "exos-tls-cert"
	ownKeySecretFile  = "exos-tls-key"
)

// ownServerName checks that the plugin can verify the certificate where it finds the
// manager, at a manager node's address. A certificate that names none of them but has a
// DNS name is checked against that name (command.ServerNameLabel).
func ownServerName(ctx context.Context, out io.Writer, engine tlsNodeLister, own tlsconf.Own) (string, error) {
	nodes, err := engine.NodeList(ctx, swarm.NodeListOptions{Filters: filters.NewArgs(filters.Arg("role", "manager"))})
	if err != nil {
		return "", fmt.Errorf("failed to list the manager nodes: %w", err)
	}
	var covered, missed []string
	for _, n := range nodes {
		addr, err := command.NodeAddr(n)
		if err != nil {
			continue
		}
		if own.Leaf.VerifyHostname(addr) == nil {
			covered = append(covered, addr)
		} else {
			missed = append(missed, n.Description.Hostname+" ("+addr+")")
		}
	}
	switch {
	case len(missed) == 0:
		return "", nil
	case len(covered) > 0:
		_, _ = fmt.Fprintf(out, "Warning: the certificate is not valid for manager node %s: the plugin will refuse the manager if Swarm moves it there\n",
			strings.Join(missed, ", "))
		return "", nil
	case len(own.Leaf.DNSNames) > 0:
		_, _ = fmt.Fprintf(out, "The certificate names no manager node's address: the plugin will check it against %s\n", own.Leaf.DNSNames[0])
		return own.Leaf.DNSNames[0], nil
	}
	return "", fmt.Errorf("refusing --tls-cert: it is valid for %s, neither a DNS name nor the address of a manager node (%s)",
		strings.Join(tlsconf.Hosts(own.Leaf), ", "), strings.Join(missed, ", "))
}

// storeOwn stores the user's certificate in the swarm (unless it is there already) and
// returns the transport that serves it.
func storeOwn(ctx context.Context, out io.Writer, engine tlsStore, own ownCert) (transport, error) {
	id := contentID(own.certPEM)
	labels := map[string]string{kindLabel: tlsOwnKind, tlsOwnLabel: id}
	certID, err := ensureSecret(ctx, engine, ownCertPrefix+id, own.certPEM, labels)
	if err != nil {
		return transport{}, err
	}
	keyID, err := ensureSecret(ctx, engine, ownKeyPrefix+id, own.keyPEM, labels)
	if err != nil {
		return transport{}, err
	}
	caID, err := ensureConfig(ctx, engine, ownCAPrefix+id, own.checked.CAPEM, labels)
	if err != nil {
		return transport{}, err
	}
	_, _ = fmt.Fprintf(out, "Serving the certificate for %s (expires %s), verified with the CA %s\n",
		strings.Join(tlsconf.Hosts(own.checked.Leaf), ", "), own.checked.Leaf.NotAfter.Format("2006-01-02"), fingerprintOf(own.checked.CAPEM))
	t := ownTransport(id, certID, keyID, caID, own.checked.CAPEM, own.serverName)
	t.withAgentServerName(agentServerName(own.checked.Leaf))
	return t, nil
}

// keepOwn keeps serving the certificate a previous install stored: an install that names
// no certificate (an upgrade, say) does not replace the user's with the swarm's CA.
func keepOwn(ctx context.Context, out io.Writer, engine tlsStore, current swarm.Service) (transport, error) {
	id := current.Spec.Labels[tlsOwnLabel]
	gone := func(what string) error {
		return fmt.Errorf("the certificate installed with --tls-cert (%s) is gone from the swarm: "+
			"give --tls-cert and --tls-key again, or --tls-new-ca to serve a certificate from a CA EXOS makes", what)
	}
	certID, err := findSecret(ctx, engine, ownCertPrefix+id)
	if err != nil || certID == "" {
		return transport{}, orElse(err, gone("secret "+ownCertPrefix+id))
	}
	keyID, err := findSecret(ctx, engine, ownKeyPrefix+id)
	if err != nil || keyID == "" {
		return transport{}, orElse(err, gone("secret "+ownKeyPrefix+id))
	}
	ca, err := findConfig(ctx, engine, ownCAPrefix+id)
	if err != nil || ca == nil {
		return transport{}, orElse(err, gone("config "+ownCAPrefix+id))
	}
	full, _, err := engine.ConfigInspectWithRaw(ctx, ca.ID)
	if err != nil {
		return transport{}, fmt.Errorf("failed to read the CA of the installed certificate (config %s): %w", ca.Spec.Name, err)
	}
	_, _ = fmt.Fprintf(out, "Keeping the certificate installed with --tls-cert (secret %s)\n", ownCertPrefix+id)
	t := ownTransport(id, certID, keyID, ca.ID, full.Spec.Data, current.Spec.Labels[command.ServerNameLabel])
	t.withAgentServerName(current.Spec.Labels[agentServerNameLabel])
	return t, nil
}

func ownTransport(id, certID, keyID, caID string, caPEM []byte, serverName string) transport {
	labels := map[string]string{tlsModeLabel: tlsModeOwn, tlsOwnLabel: id}
	if serverName != "" {
		labels[command.ServerNameLabel] = serverName
	}
	return transport{
		scheme: command.TransportHTTPS,
		args:   []string{"--tls-cert=" + secretsDir + ownCertSecretFile, "--tls-key=" + secretsDir + ownKeySecretFile},
		secrets: []*swarm.SecretReference{
			secretFile(certID, ownCertPrefix+id, ownCertSecretFile),
			secretFile(keyID, ownKeyPrefix+id, ownKeySecretFile),
		},
		configs:    []*swarm.ConfigReference{caConfigFile(caID, ownCAPrefix+id)},
		labels:     labels,
		caPEM:      caPEM,
		serverName: serverName,
	}
}

// agentServerNameLabel on exos_manager keeps, for later installs, the name agents check
// the user's certificate against (the certificate itself is a secret: it cannot be read
// back).
const agentServerNameLabel = "io.exos.tls.agent-server-name"

// agentServerName is a name the user's certificate holds for the agents to check it
// against: the manager's alias on the agent network if it holds that, else its first DNS
// name, else its first address.
func agentServerName(leaf *x509.Certificate) string {
	switch {
	case leaf.VerifyHostname(api.AgentServerName) == nil:
		return ""
	case len(leaf.DNSNames) > 0:
		return leaf.DNSNames[0]
	case len(leaf.IPAddresses) > 0:
		return leaf.IPAddresses[0].String()
	}
	return ""
}

func (t *transport) withAgentServerName(name string) {
	if name == "" {
		return
	}
	t.agentServerName = name
	t.labels[agentServerNameLabel] = name
}

func orElse(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
