package command

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
)

const (
	// TransportLabel on exos_manager says how `manager install` set the manager up:
	// "https", or "http" (--insecure-http). A manager installed before TLS has none and
	// serves plain HTTP.
	TransportLabel = "io.exos.transport"
	// TransportHTTPS and TransportHTTP are the values of TransportLabel.
	TransportHTTPS = "https"
	TransportHTTP  = "http"
	// ServerNameLabel on exos_manager, when set, is the name the manager's certificate is
	// checked against instead of the node's address: a certificate of the user's that
	// names the manager by DNS name only.
	ServerNameLabel = "io.exos.tls.server-name"
	// CAPath is where exos_manager mounts the config holding its CA: the plugin reads that
	// config when no CA is pinned on this machine.
	CAPath = "/etc/exos/tls-ca.pem"
)

// Endpoint is where the manager answers and how to tell it is the manager.
type Endpoint struct {
	URL string
	// ServerName, when set, is what the certificate must be valid for (ServerNameLabel).
	ServerName string
	// Transport is the service's TransportLabel ("" for a URL given by the user).
	Transport string
	// CAConfigID is the config exos_manager mounts at CAPath ("" when it mounts none).
	CAConfigID string
}

// HTTPS reports whether the endpoint is reached over TLS.
func (e Endpoint) HTTPS() bool { return strings.HasPrefix(e.URL, "https://") }

// endpointOf is how to reach the manager's service svc at hostPort: https:// unless
// install set it up to serve plain HTTP (or installed it before TLS), checked against the
// CA config it mounts at CAPath.
func endpointOf(svc swarm.Service, hostPort string) Endpoint {
	ep := Endpoint{Transport: svc.Spec.Labels[TransportLabel], ServerName: svc.Spec.Labels[ServerNameLabel]}
	scheme := "http://"
	if ep.Transport == TransportHTTPS {
		scheme = "https://"
	}
	ep.URL = scheme + hostPort
	if c := svc.Spec.TaskTemplate.ContainerSpec; c != nil {
		for _, ref := range c.Configs {
			if ref.File != nil && ref.File.Name == CAPath {
				ep.CAConfigID = ref.ConfigID
			}
		}
	}
	return ep
}

// PinnedCA is the CA the manager's certificate must chain to, and where it came from
// ("saved for this swarm (FILE)", "in EXOS_CA_FILE (FILE)"...), for messages.
type PinnedCA struct {
	PEM    []byte
	Source string
}

// Transport is what `manager status` shows of the connection.
type Transport struct {
	TLS bool `json:"tls"`
	// CASource says where the pinned CA came from; CA is its PEM.
	CASource string `json:"caSource,omitempty"`
	CA       string `json:"ca,omitempty"`
	// CAFingerprint is the CA's SHA-256 fingerprint (Fingerprint).
	CAFingerprint string    `json:"caFingerprint,omitempty"`
	CAExpires     time.Time `json:"caExpires,omitzero"`
	// Hosts and Expires describe the manager's certificate, once a call verified it.
	Hosts   []string  `json:"hosts,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
	// Warning is printed on every call over plain HTTP.
	Warning string `json:"warning,omitempty"`
}

// TransportReporter is implemented by the manager client the plugin builds; status asks
// it how the manager was reached.
type TransportReporter interface {
	Transport() Transport
}

// managerClient is the API client with what status shows of its transport.
type managerClient struct {
	*api.Client
	transport Transport
	peer      *peerCert
	// hc is the Client's HTTP client: connect wraps its transport when the address came
	// from the endpoint cache.
	hc *http.Client
	// moved, when set, is the client found again after the cached address failed.
	moved func() *managerClient
}

func newManagerClient(url, token string, hc *http.Client, t Transport, peer *peerCert) *managerClient {
	return &managerClient{Client: api.NewClient(url, token, hc), transport: t, peer: peer, hc: hc}
}

// BaseURL is where the manager answers: where it was found again, once the cached
// address failed.
func (m *managerClient) BaseURL() string {
	if m.moved != nil {
		if fresh := m.moved(); fresh != nil {
			return fresh.BaseURL()
		}
	}
	return m.Client.BaseURL()
}

func (m *managerClient) Transport() Transport {
	if m.moved != nil {
		if fresh := m.moved(); fresh != nil {
			return fresh.Transport()
		}
	}
	t := m.transport
	if m.peer != nil {
		if leaf := m.peer.get(); leaf != nil {
			t.Hosts, t.Expires = tlsconf.Hosts(leaf), leaf.NotAfter
		}
	}
	return t
}

// peerCert keeps the manager certificate the last handshake verified.
type peerCert struct {
	mu   sync.Mutex
	leaf *x509.Certificate
}

func (p *peerCert) set(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) > 0 {
		p.mu.Lock()
		p.leaf = cs.PeerCertificates[0]
		p.mu.Unlock()
	}
	return nil
}

func (p *peerCert) get() *x509.Certificate {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.leaf
}

// PinnedHTTPClient returns an HTTP client that accepts the manager only with a
// certificate from ca, valid for serverName when it is set (else for the URL's host), and
// that says so plainly when it refuses one.
func PinnedHTTPClient(ca PinnedCA, serverName string) (*http.Client, error) {
	hc, _, err := pinnedHTTPClient(ca, serverName)
	return hc, err
}

func pinnedHTTPClient(ca PinnedCA, serverName string) (*http.Client, *peerCert, error) {
	hc, err := api.HTTPClientWithCA(ca.PEM)
	if err != nil {
		return nil, nil, fmt.Errorf("the EXOS manager's CA %s: %w", ca.Source, err)
	}
	base := hc.Transport.(*http.Transport)
	peer := &peerCert{}
	base.TLSClientConfig.ServerName = serverName
	base.TLSClientConfig.VerifyConnection = peer.set
	hc.Transport = &pinnedTransport{base: base, source: ca.Source}
	return hc, peer, nil
}

// pinnedTransport turns the TLS library's refusals into what the user needs to know.
type pinnedTransport struct {
	base   http.RoundTripper
	source string
}

func (p *pinnedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.base.RoundTrip(req)
	if err != nil {
		return nil, explainTLS(err, p.source)
	}
	return resp, nil
}

func explainTLS(err error, source string) error {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var plain tls.RecordHeaderError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("the EXOS manager's certificate is not signed by the CA %s: refusing to talk to it "+
			"(it may not be the EXOS manager, or its CA was replaced since that CA was saved; if it was, on purpose, "+
			"`docker exos manager install` saves the swarm's CA again, or give it with EXOS_CA_FILE): %w", source, err)
	case errors.As(err, &host):
		return fmt.Errorf("the EXOS manager's certificate is not valid for the address it was reached at: %w "+
			"(give --manager a name it holds, or add one with `docker exos manager install --tls-san NAME`)", err)
	case errors.As(err, &invalid):
		return fmt.Errorf("the EXOS manager's certificate is not valid: %w", err)
	case errors.As(err, &plain):
		return fmt.Errorf("the EXOS manager answers plain HTTP, not HTTPS (it was installed before TLS or with --insecure-http): "+
			"run `docker exos manager install` to switch it to HTTPS, or give an http:// URL: %w", err)
	}
	return err
}
