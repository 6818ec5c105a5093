package identity

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
)

// usesTLS says whether the connection is TLS: ldaps://, or ldap:// with StartTLS.
func (d *directory) usesTLS() bool {
	return d.settings.StartTLS || strings.HasPrefix(d.settings.URL, "ldaps://")
}

// dial opens the TCP connection to the directory; secure makes it an LDAP one. They are
// two steps so that the settings' test tells a directory that does not answer from one
// whose certificate is not trusted.
func (d *directory) dial() (net.Conn, error) {
	u, err := url.Parse(d.settings.URL)
	if err != nil {
		return nil, api.Errorf(api.ErrInvalid, "the directory URL %q is not valid: %v", d.settings.URL, err)
	}
	port := u.Port()
	switch {
	case port != "":
	case u.Scheme == "ldaps":
		port = ldap.DefaultLdapsPort
	default:
		port = ldap.DefaultLdapPort
	}
	raw, err := (&net.Dialer{Timeout: directoryDialTimeout}).Dial("tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return nil, d.unreachable(err)
	}
	return raw, nil
}

// secure makes raw an LDAP connection: TLS from the first byte for ldaps://, upgraded
// with StartTLS if the settings say so, plain otherwise (where it cannot fail). It closes
// raw when it fails.
func (d *directory) secure(raw net.Conn) (*ldap.Conn, error) {
	v, err := d.verifier()
	if err != nil {
		raw.Close()
		return nil, err
	}
	config := v.config()
	if !strings.HasPrefix(d.settings.URL, "ldaps://") {
		conn := ldap.NewConn(raw, false)
		conn.Start()
		conn.SetTimeout(directoryOpTimeout)
		if d.settings.StartTLS {
			if err := conn.StartTLS(config); err != nil {
				conn.Close()
				return nil, d.tlsFailed(v, "StartTLS", err)
			}
		}
		return conn, nil
	}
	tlsConn := tls.Client(raw, config)
	_ = raw.SetDeadline(time.Now().Add(directoryDialTimeout))
	if err := tlsConn.Handshake(); err != nil {
		raw.Close()
		return nil, d.tlsFailed(v, "TLS", err)
	}
	_ = raw.SetDeadline(time.Time{})
	conn := ldap.NewConn(tlsConn, true)
	conn.Start()
	conn.SetTimeout(directoryOpTimeout)
	return conn, nil
}

// verifier checks the directory's certificate as crypto/tls does: chained to the
// settings' CA (the system's roots without one) and valid for the URL's host, an IP
// address or a name. It checks it itself only to keep why it failed: go-ldap's StartTLS
// returns a failed handshake as text, and "unknown authority" and "another host" need
// different fixes. One verifier serves one connection.
type verifier struct {
	roots  *x509.CertPool // nil: the system's
	host   string
	failed error
}

func (d *directory) verifier() (*verifier, error) {
	u, err := url.Parse(d.settings.URL)
	if err != nil {
		return nil, api.Errorf(api.ErrInvalid, "the directory URL %q is not valid: %v", d.settings.URL, err)
	}
	v := &verifier{host: u.Hostname()}
	if d.settings.CA != "" {
		v.roots = x509.NewCertPool()
		v.roots.AppendCertsFromPEM([]byte(d.settings.CA))
	}
	return v, nil
}

// config turns crypto/tls's own check off for verify, which does the same check and
// refuses the handshake when it fails (as crypto/tls's VerifyConnection example does).
func (v *verifier) config() *tls.Config {
	return &tls.Config{ServerName: v.host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: true, VerifyConnection: v.verify}
}

func (v *verifier) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		v.failed = errors.New("the directory sent no certificate")
		return v.failed
	}
	opts := x509.VerifyOptions{Roots: v.roots, DNSName: v.host, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, v.failed = cs.PeerCertificates[0].Verify(opts)
	return v.failed
}

// tlsFailed says why the TLS handshake (step: "TLS" or "StartTLS") failed: first
// whether the directory's certificate is not trusted, and why.
func (d *directory) tlsFailed(v *verifier, step string, err error) error {
	if v.failed == nil {
		return api.Errorf(api.ErrUnavailable, "%s with the directory at %s failed: %v", step, d.settings.URL, err)
	}
	return api.Errorf(api.ErrUnavailable, "the certificate of the directory at %s is not trusted: %s", d.settings.URL, untrustedWhy(v, d.settings.CA != ""))
}

// untrustedWhy explains v's failure and says what to do.
func untrustedWhy(v *verifier, withCA bool) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.As(v.failed, &unknown) && withCA:
		return "it is not signed by the CA of the directory settings: give the CA that signed it (`docker exos auth ldap set ... --ca-file`)"
	case errors.As(v.failed, &unknown):
		return "it is not signed by a CA of the system: give the directory's CA (`docker exos auth ldap set ... --ca-file`)"
	case errors.As(v.failed, &host) && len(tlsconf.Hosts(host.Certificate)) == 0:
		return fmt.Sprintf("it names no host (no subject alternative name), so not %s: the directory needs a certificate for the host of its URL", v.host)
	case errors.As(v.failed, &host):
		return fmt.Sprintf("it is valid for %s, not for %s: put one of those in the directory URL", strings.Join(tlsconf.Hosts(host.Certificate), ", "), v.host)
	}
	return v.failed.Error()
}
