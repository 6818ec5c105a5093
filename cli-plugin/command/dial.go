package command

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/docker/cli/cli/context/docker"
	"github.com/exos-platform/exos/manager/tlsconf"
)

// dial returns a client for the manager at ep. Over HTTPS the manager's certificate must
// chain to the CA caPins finds (never the system's CAs, unless the user gave an https://
// URL and no CA is known for it); over plain HTTP the client carries the warning every
// call prints.
func dial(ctx context.Context, engine EngineClient, ep Endpoint, token string, pins caPins) (*managerClient, error) {
	if !ep.HTTPS() {
		hc := &http.Client{Timeout: 2 * time.Minute, Transport: http.DefaultTransport.(*http.Transport).Clone()}
		return newManagerClient(ep.URL, token, hc, Transport{Warning: PlainHTTPWarning(ep)}, nil), nil
	}
	ca, err := pins.find(ctx, engine, ep)
	if err != nil {
		return nil, err
	}
	if ca == nil {
		hc, peer := systemHTTPClient(ep.ServerName)
		return newManagerClient(ep.URL, token, hc, Transport{TLS: true, CASource: "the system's CAs"}, peer), nil
	}
	hc, peer, err := pinnedHTTPClient(*ca, ep.ServerName)
	if err != nil {
		return nil, err
	}
	return newManagerClient(ep.URL, token, hc, pinnedTransportInfo(*ca), peer), nil
}

// PlainHTTPWarning is what every call to a manager over plain HTTP prints.
func PlainHTTPWarning(ep Endpoint) string {
	why := "installed with --insecure-http"
	switch ep.Transport {
	case "":
		why = "installed before EXOS served TLS, or given as an http:// URL"
	case TransportHTTPS:
		why = "given as an http:// URL"
	}
	return fmt.Sprintf("the manager at %s serves plain HTTP (%s): tokens cross the network in clear; "+
		"run `docker exos manager install` (without --insecure-http) to switch it to HTTPS", ep.URL, why)
}

// caPins finds the CA the manager's certificate must chain to, first found first:
// EXOS_CA_FILE; the CA pinned for the swarm in its login file; the CA the manager's
// service mounts (read through the Docker endpoint, which the user trusts already, and
// pinned from then on when there is a login file to pin it in).
type caPins struct {
	file    string // EXOS_CA_FILE
	dir     string // the login files' directory
	swarmID string // "" when connect did not need to ask the Engine
}

func (p caPins) find(ctx context.Context, engine EngineClient, ep Endpoint) (*PinnedCA, error) {
	if p.file != "" {
		pem, err := os.ReadFile(p.file)
		if err != nil {
			return nil, fmt.Errorf("failed to read the EXOS manager's CA (EXOS_CA_FILE): %w", err)
		}
		return &PinnedCA{PEM: pem, Source: "in EXOS_CA_FILE (" + p.file + ")"}, nil
	}
	swarmID := p.swarmID
	if swarmID == "" && engine != nil {
		// A URL given by the user: the pin of the swarm the Docker endpoint manages still
		// applies when there is one; without a swarm, there is nothing pinned to look at.
		swarmID, _ = SwarmID(ctx, engine)
	}
	if swarmID != "" {
		if pem, path := LoadCA(p.dir, swarmID); pem != nil {
			return &PinnedCA{PEM: pem, Source: "saved for this swarm (" + path + ")"}, nil
		}
	}
	if ep.CAConfigID != "" {
		return p.fromSwarm(ctx, engine, ep.CAConfigID, swarmID)
	}
	if ep.Transport != "" {
		return nil, fmt.Errorf("the EXOS manager serves HTTPS but its service mounts no CA (%s): "+
			"run `docker exos manager install` again, or give the CA with EXOS_CA_FILE", CAPath)
	}
	return nil, nil
}

// fromSwarm reads the CA config the manager's service mounts and pins it.
func (p caPins) fromSwarm(ctx context.Context, engine EngineClient, configID, swarmID string) (*PinnedCA, error) {
	config, _, err := engine.ConfigInspectWithRaw(ctx, configID)
	if err != nil {
		return nil, fmt.Errorf("failed to read the EXOS manager's CA (config %s): %w", configID, err)
	}
	ca := &PinnedCA{PEM: config.Spec.Data, Source: "of the swarm (config " + config.Spec.Name + ")"}
	if swarmID == "" {
		return ca, nil
	}
	err = SaveCA(p.dir, swarmID, ca.PEM)
	switch {
	case err == nil:
		ca.Source = "saved for this swarm (" + TokenPath(p.dir, swarmID) + ")"
	case !errors.Is(err, fs.ErrNotExist): // no login file: nothing to pin it in, which is fine
		return nil, err
	}
	return ca, nil
}

// pinnedTransportInfo is what status shows of a pinned CA.
func pinnedTransportInfo(ca PinnedCA) Transport {
	t := Transport{TLS: true, CASource: ca.Source, CA: string(ca.PEM)}
	if certs, err := tlsconf.ParseCertificates(ca.PEM); err == nil {
		t.CAFingerprint = Fingerprint(certs[0].Raw)
		t.CAExpires = certs[0].NotAfter
	}
	return t
}

// Fingerprint is a certificate's SHA-256 fingerprint as `openssl x509 -fingerprint
// -sha256` prints it, so that a user can compare the two.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(hex, ":")
}

// systemHTTPClient verifies the manager with the system's CAs: for an https:// URL the
// user gave, with no CA pinned or given for it.
func systemHTTPClient(serverName string) (*http.Client, *peerCert) {
	peer := &peerCert{}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{MinVersion: tlsconf.MinVersion, ServerName: serverName, VerifyConnection: peer.set}
	return &http.Client{Timeout: 2 * time.Minute, Transport: transport}, peer
}

// endpointCache is the cache entry of the Docker endpoint the command talks to. The
// endpoint is read from the context store: DockerEndpoint would connect to the Engine
// (docker/cli pings it when it first builds its client), which the cache is there to
// spare.
func (c *exosCli) endpointCache() *endpointCache {
	name := c.CurrentContext()
	if meta, err := c.ContextStore().GetMetadata(name); err == nil {
		if ep, err := docker.EndpointFromContext(meta); err == nil {
			return newEndpointCache(TokenDir(), name, ep.Host)
		}
	}
	return newEndpointCache(TokenDir(), name, c.DockerEndpoint().Host)
}

// dialManager connects as connect does, with the CA in EXOS_CA_FILE when it is set, and
// prints the plain-HTTP warning: on every call, so that nobody forgets tokens travel in
// clear.
func (c *exosCli) dialManager(ctx context.Context, addr managerAddress) (*managerClient, error) {
	addr.CAFile = c.getenv("EXOS_CA_FILE")
	m, err := connect(ctx, lazyEngine{c}, addr, TokenDir(), c.endpointCache())
	if err != nil {
		return nil, err
	}
	if w := m.transport.Warning; w != "" {
		_, _ = fmt.Fprintln(c.Err(), "WARNING:", w)
	}
	return m, nil
}
