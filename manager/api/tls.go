package api

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"time"
)

// HTTPClientWithCA returns an HTTP client for NewClient that trusts only the CA
// certificates in caPEM (PEM): the CA `docker exos manager install` made for the swarm,
// or the one that signed the manager's certificate. The system's CAs are not trusted, so
// a manager is accepted only with a certificate from that CA. TLS 1.2 or later.
func HTTPClientWithCA(caPEM []byte) (*http.Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("no PEM certificate in the EXOS manager's CA")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Timeout: 2 * time.Minute, Transport: transport}, nil
}
