package registries

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// parseAddress returns the registry's host[:port] from what the user gave: host[:port]
// or an https:// URL (http:// only when insecure), without credentials or a path.
func parseAddress(raw string, insecure bool) (string, error) {
	if raw == "" {
		return "", errors.New("needs the registry's address (host[:port] or https://host[:port])")
	}
	withScheme := raw
	if !strings.Contains(raw, "://") {
		withScheme = "https://" + raw
	}
	u, err := url.Parse(withScheme)
	if err != nil {
		return "", fmt.Errorf("%q is no registry address (host[:port] or https://host[:port]): %v", raw, errors.Unwrap(err))
	}
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && insecure):
		return "", fmt.Errorf("%q: the scheme must be https (http only with --insecure)", raw)
	case u.User != nil:
		return "", errors.New("the address must not carry credentials: give --username and --password-stdin")
	case u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%q: give only the registry's host[:port], without a path", raw)
	}
	if _, err := name.NewRegistry(u.Host, name.StrictValidation); err != nil {
		return "", fmt.Errorf("%q is no registry host[:port]: %v", u.Host, err)
	}
	return u.Host, nil
}

// certPool is the pool of the PEM certificates in ca.
func certPool(ca string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(ca)) {
		return nil, errors.New("the CA holds no PEM certificate")
	}
	return pool, nil
}
