// Package tlsconf makes and checks the certificates the EXOS manager serves its API and
// hooks with. `docker exos manager install` makes a CA once per swarm (NewCA); the
// manager issues its own server certificate from it (Issuer) for the addresses and names
// of every manager node, since Swarm may move it to any of them, and issues it again when
// they change. The standard library only: the plugin and the manager both use it, and the
// plugin imports no manager internals.
package tlsconf

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

const (
	// CAValidity is how long the CA made at install is valid: long, because every client
	// that pinned it (the plugin, Alertmanager, CI) would need the new one.
	CAValidity = 20 * 365 * 24 * time.Hour
	// ServerValidity is how long a server certificate the manager issues itself is valid.
	// Short, because the manager renews it by itself (see NeedsReissue).
	ServerValidity = 90 * 24 * time.Hour
	// clockSkew backdates certificates so a client whose clock is a little behind accepts
	// them.
	clockSkew = time.Hour
	// MinVersion is the oldest TLS version the manager serves and the plugin accepts.
	MinVersion = tls.VersionTLS12
)

// CA is a certificate authority whose private key is at hand: the one the manager issues
// its certificates from.
type CA struct {
	Cert *x509.Certificate
	key  crypto.Signer
}

// NewCA makes a self-signed ECDSA P-256 CA valid for CAValidity from now and returns its
// certificate and private key, PEM-encoded. The CA may sign server certificates only (path
// length 0).
func NewCA(commonName string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to generate the CA key: %w", err)
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{"EXOS"}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(CAValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to create the CA certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to encode the CA key: %w", err)
	}
	return pemBlock("CERTIFICATE", der), pemBlock("PRIVATE KEY", keyDER), nil
}

// LoadCA reads a CA made by NewCA: its certificate must be a CA's and the key its own.
func LoadCA(certPEM, keyPEM []byte) (*CA, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("failed to load the CA: %w", err)
	}
	if !pair.Leaf.IsCA {
		return nil, errors.New("failed to load the CA: its certificate is not a CA's")
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, errors.New("failed to load the CA: its key cannot sign")
	}
	return &CA{Cert: pair.Leaf, key: signer}, nil
}

// ParseCertificates reads every certificate of a PEM bundle, in order; other blocks (a
// key by mistake, for instance) are an error, so that nothing but certificates is ever
// taken for one.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("found a %q PEM block where only certificates belong", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("failed to parse a certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return certs, nil
}

// EncodeCertificates PEM-encodes certificates, in order.
func EncodeCertificates(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pemBlock("CERTIFICATE", c.Raw)...)
	}
	return out
}

func pemBlock(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

// serialNumber is 128 random bits, as RFC 5280 advises (at least 64, unpredictable).
func serialNumber() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("failed to generate a serial number: %w", err)
	}
	return n, nil
}
