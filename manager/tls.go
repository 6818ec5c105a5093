package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
	"github.com/spf13/pflag"
)

// tlsOptions say how the manager secures its API and hooks. `manager install` passes one
// of the three: the CA it made for the swarm (the manager issues its own certificate), a
// certificate of the user's, or --insecure-http.
type tlsOptions struct {
	certFile, keyFile     string // a certificate (chain) and its key, served as they are
	caCertFile, caKeyFile string // the CA the manager issues its own certificate from
	sans                  []string
	insecureHTTP          bool
	refresh               time.Duration // how often the issued certificate is checked
}

func (o *tlsOptions) addFlags(flags *pflag.FlagSet) {
	flags.StringVar(&o.certFile, "tls-cert", "", "Certificate (PEM, chain after it) to serve the API with")
	flags.StringVar(&o.keyFile, "tls-key", "", "Private key of --tls-cert")
	flags.StringVar(&o.caCertFile, "tls-ca-cert", "", "CA certificate to issue the manager's own certificate from, for every manager node's addresses and names")
	flags.StringVar(&o.caKeyFile, "tls-ca-key", "", "Private key of --tls-ca-cert")
	flags.StringSliceVar(&o.sans, "tls-san", nil, "More addresses or DNS names for the certificate issued from --tls-ca-cert")
	flags.BoolVar(&o.insecureHTTP, "insecure-http", false, "Serve plain HTTP: tokens cross the network in clear")
	flags.DurationVar(&o.refresh, "tls-refresh", time.Minute, "How often to check that the issued certificate still covers the manager nodes")
}

// errNoTransport: the manager never falls back to plain HTTP by itself.
var errNoTransport = errors.New("no TLS certificate: give --tls-cert and --tls-key, or --tls-ca-cert and --tls-ca-key " +
	"(`docker exos manager install` does), or --insecure-http to serve plain HTTP")

// nodeLister is what issuing the certificate needs of the Engine API.
type nodeLister interface {
	NodeList(ctx context.Context, options swarm.NodeListOptions) ([]swarm.Node, error)
}

// serverTLS returns the TLS settings to serve with (nil for plain HTTP). With a CA it
// issues the certificate now and keeps it current in the background until ctx ends.
func serverTLS(ctx context.Context, engine nodeLister, o tlsOptions, log *slog.Logger) (*tls.Config, error) {
	switch {
	case o.insecureHTTP:
		log.Warn("serving plain HTTP (--insecure-http): tokens and data cross the network in clear")
		return nil, nil
	case o.certFile != "" || o.keyFile != "":
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return nil, fmt.Errorf("failed to load the TLS certificate %s: %w", o.certFile, err)
		}
		log.Info("serving TLS", "certificate", o.certFile, "hosts", strings.Join(tlsconf.Hosts(pair.Leaf), ","), "expires", pair.Leaf.NotAfter)
		return &tls.Config{MinVersion: tlsconf.MinVersion, Certificates: []tls.Certificate{pair}}, nil
	case o.caCertFile != "" || o.caKeyFile != "":
		issuer, err := loadIssuer(o)
		if err != nil {
			return nil, err
		}
		r := reissuer{issuer: issuer, engine: engine, sans: o.sans, log: log}
		if err := r.refresh(ctx); err != nil {
			return nil, err
		}
		go r.run(ctx, o.refresh)
		return tlsconf.ServerConfig(issuer.GetCertificate), nil
	}
	return nil, errNoTransport
}

func loadIssuer(o tlsOptions) (*tlsconf.Issuer, error) {
	certPEM, err := os.ReadFile(o.caCertFile)
	if err != nil {
		return nil, fmt.Errorf("failed to read the CA certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(o.caKeyFile)
	if err != nil {
		return nil, fmt.Errorf("failed to read the CA key: %w", err)
	}
	ca, err := tlsconf.LoadCA(certPEM, keyPEM)
	if err != nil {
		return nil, err
	}
	return tlsconf.NewIssuer(ca), nil
}

// reissuer keeps the issued certificate valid for every manager node: Swarm may move the
// manager to any of them, and clients reach it at that node's address.
type reissuer struct {
	issuer *tlsconf.Issuer
	engine nodeLister
	sans   []string
	log    *slog.Logger
}

func (r reissuer) run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := r.refresh(ctx); err != nil {
				r.log.Error("cannot renew the TLS certificate; serving the current one", "err", err)
			}
		}
	}
}

func (r reissuer) refresh(ctx context.Context) error {
	nodes, err := r.engine.NodeList(ctx, swarm.NodeListOptions{Filters: filters.NewArgs(filters.Arg("role", "manager"))})
	if err != nil {
		return fmt.Errorf("failed to list the manager nodes for the TLS certificate: %w", err)
	}
	// Agents reach the manager by its alias on the agent network.
	hosts := append(managerHosts(nodes), append(r.sans, api.AgentServerName)...)
	why, err := r.issuer.Refresh(hosts, time.Now())
	if err != nil || why == "" {
		return err
	}
	leaf := r.issuer.Certificate().Leaf
	r.log.Info("issued the TLS certificate", "why", why, "hosts", strings.Join(tlsconf.Hosts(leaf), ","), "expires", leaf.NotAfter)
	return nil
}

// managerHosts is what the certificate must be valid for: every manager node's address
// (the one the plugin finds it at, and its raft address) and hostname, and the loopback
// names for a client on the manager's own node.
func managerHosts(nodes []swarm.Node) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	for _, n := range nodes {
		if n.Spec.Role != swarm.NodeRoleManager {
			continue
		}
		hosts = append(hosts, n.Description.Hostname)
		if a := n.Status.Addr; a != "" && a != "0.0.0.0" {
			hosts = append(hosts, a)
		}
		if n.ManagerStatus != nil {
			if host, _, err := net.SplitHostPort(n.ManagerStatus.Addr); err == nil && host != "0.0.0.0" {
				hosts = append(hosts, host)
			}
		}
	}
	return hosts
}
