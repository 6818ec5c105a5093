package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Own is a certificate of the user's (`manager install --tls-cert --tls-key`), checked.
type Own struct {
	// Leaf is the server certificate, the first of the cert file.
	Leaf *x509.Certificate
	// CAPEM is what clients pin: the --tls-ca-file file, or else the last certificate of the
	// cert file's chain (or the certificate itself when it is self-signed).
	CAPEM []byte
}

// CheckOwn checks a certificate of the user's before the manager serves it: the key is
// the certificate's, it is valid now for server authentication, and it chains up to the
// CA clients will pin. caPEM may be empty: the CA is then the top of the cert file's chain.
func CheckOwn(certPEM, keyPEM, caPEM []byte, now time.Time) (Own, error) {
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return Own{}, fmt.Errorf("the certificate and key do not go together: %w", err)
	}
	chain, err := ParseCertificates(certPEM)
	if err != nil {
		return Own{}, fmt.Errorf("failed to read the certificate: %w", err)
	}
	leaf := chain[0]
	if len(caPEM) == 0 {
		if caPEM, err = chainTop(chain); err != nil {
			return Own{}, err
		}
	}
	roots, err := ParseCertificates(caPEM)
	if err != nil {
		return Own{}, fmt.Errorf("failed to read the CA: %w", err)
	}
	opts := x509.VerifyOptions{
		Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(),
		CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, r := range roots {
		opts.Roots.AddCert(r)
	}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := leaf.Verify(opts); err != nil {
		return Own{}, fmt.Errorf("the certificate does not verify against the CA clients will pin: %w", err)
	}
	return Own{Leaf: leaf, CAPEM: EncodeCertificates(roots...)}, nil
}

// chainTop is the CA to pin when none is given: the last certificate of a chain, or a
// self-signed certificate alone.
func chainTop(chain []*x509.Certificate) ([]byte, error) {
	top := chain[len(chain)-1]
	if len(chain) > 1 || top.CheckSignatureFrom(top) == nil {
		return EncodeCertificates(top), nil
	}
	return nil, errors.New("the certificate file holds the server certificate alone: give the CA that signed it with --tls-ca-file " +
		"(or append the CA's certificate to the file)")
}
