package tlsconf

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// Issue makes a server certificate signed by ca for hosts (IP addresses and DNS names),
// valid for ServerValidity from now but never past the CA. Its key is new, lives in memory
// only and is never written anywhere.
func (ca *CA) Issue(hosts []string, now time.Time) (*tls.Certificate, error) {
	if len(hosts) == 0 {
		return nil, fmt.Errorf("failed to issue the manager's certificate: no address or name to issue it for")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("failed to generate the manager's key: %w", err)
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "EXOS manager", Organization: []string{"EXOS"}},
		NotBefore:    now.Add(-clockSkew),
		NotAfter:     minTime(now.Add(ServerValidity), ca.Cert.NotAfter),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	tmpl.IPAddresses, tmpl.DNSNames = splitHosts(hosts)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("failed to issue the manager's certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("failed to read the manager's certificate back: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// splitHosts sorts hosts into IP addresses and DNS names, without duplicates.
func splitHosts(hosts []string) ([]net.IP, []string) {
	var ips []net.IP
	var names []string
	for _, h := range normalize(hosts) {
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
		} else {
			names = append(names, h)
		}
	}
	return ips, names
}

// Hosts lists what cert is valid for, as normalize writes it.
func Hosts(cert *x509.Certificate) []string {
	hosts := slices.Clone(cert.DNSNames)
	for _, ip := range cert.IPAddresses {
		hosts = append(hosts, ip.String())
	}
	return normalize(hosts)
}

// normalize lower-cases names, writes addresses canonically, sorts and removes
// duplicates and empty entries.
func normalize(hosts []string) []string {
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if ip := net.ParseIP(h); ip != nil {
			h = ip.String()
		}
		if h != "" {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// NeedsReissue says why the manager must issue its certificate again, or "" when it need
// not: hosts (the manager nodes' addresses and names now) differ from what cert is valid
// for, or less than a third of its validity is left.
func NeedsReissue(cert *x509.Certificate, hosts []string, now time.Time) string {
	if cert == nil {
		return "no certificate yet"
	}
	if have, want := Hosts(cert), normalize(hosts); !slices.Equal(have, want) {
		return fmt.Sprintf("the manager nodes changed (certificate for %s, nodes %s)", strings.Join(have, ","), strings.Join(want, ","))
	}
	if left := cert.NotAfter.Sub(now); left < cert.NotAfter.Sub(cert.NotBefore)/3 {
		return fmt.Sprintf("it expires in %s", left.Round(time.Minute))
	}
	return ""
}

// Issuer holds the certificate the manager serves and issues it again when needed. It is
// safe for concurrent use: handshakes read it while Refresh replaces it.
type Issuer struct {
	ca   *CA
	mu   sync.RWMutex
	cert *tls.Certificate
}

// NewIssuer returns an Issuer that issues from ca; call Refresh before serving.
func NewIssuer(ca *CA) *Issuer { return &Issuer{ca: ca} }

// Refresh issues a new certificate for hosts when NeedsReissue says so, and returns the
// reason ("" when the current one is kept).
func (i *Issuer) Refresh(hosts []string, now time.Time) (string, error) {
	i.mu.RLock()
	var leaf *x509.Certificate
	if i.cert != nil {
		leaf = i.cert.Leaf
	}
	i.mu.RUnlock()
	why := NeedsReissue(leaf, hosts, now)
	if why == "" {
		return "", nil
	}
	cert, err := i.ca.Issue(hosts, now)
	if err != nil {
		return "", err
	}
	i.mu.Lock()
	i.cert = cert
	i.mu.Unlock()
	return why, nil
}

// Certificate is the certificate being served (nil before the first Refresh).
func (i *Issuer) Certificate() *tls.Certificate {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.cert
}

// GetCertificate is tls.Config.GetCertificate: every handshake gets the current one.
func (i *Issuer) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	if c := i.Certificate(); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("the manager has no certificate yet")
}

// ServerConfig is the manager's TLS settings: TLS 1.2 or later, certificates from
// getCertificate.
func ServerConfig(getCertificate func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	return &tls.Config{MinVersion: MinVersion, GetCertificate: getCertificate}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
