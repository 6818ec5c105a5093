package registries

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// loginTimeout bounds a login test, so an unreachable registry answers in time.
const loginTimeout = 15 * time.Second

// TestLogin logs in to registry name with its credentials, CA or insecure setting, and
// lists one repository: a registry that accepts the credentials answers. A failure is
// in the result, not the error, and never carries the password.
func (s *Service) TestLogin(ctx context.Context, regName string) (api.RegistryTestResult, error) {
	d, ok := s.document(regName)
	if !ok {
		return api.RegistryTestResult{}, NotFound(regName)
	}
	res := api.RegistryTestResult{Name: d.Name, URL: d.URL}
	if err := s.login(ctx, d); err != nil {
		res.Error = err.Error()
	} else {
		res.OK = true
	}
	return res, nil
}

func (s *Service) login(ctx context.Context, d document) error {
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	var opts []name.Option
	if d.Insecure {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(d.URL, opts...)
	if err != nil {
		return fmt.Errorf("%q is no registry host[:port]: %v", d.URL, err)
	}
	auth, err := s.authenticator(d)
	if err != nil {
		return err
	}
	_, err = remote.CatalogPage(reg, "", 1, remote.WithContext(ctx), remote.WithAuth(auth), remote.WithTransport(d.transport))
	return explain(d, err)
}

// authenticator is the registry's credentials, its password opened.
func (s *Service) authenticator(d document) (authn.Authenticator, error) {
	if d.Username == "" {
		return authn.Anonymous, nil
	}
	var password string
	if d.Password != "" {
		if s.sealer == nil {
			return nil, errors.New("this manager has no catalog key to open the registry's password with: run `docker exos manager install` again")
		}
		plain, err := s.sealer.Open(sealName(d.Name), d.Password)
		if err != nil {
			return nil, errors.New("cannot decrypt the registry's password: the manager's catalog key is not the one it was sealed with; remove the registry and add it again")
		}
		password = string(plain)
	}
	return authn.FromConfig(authn.AuthConfig{Username: d.Username, Password: password}), nil
}

// roundTripper checks the registry's certificate against its CA (the system's without
// one), or not at all when it is insecure.
func roundTripper(d document) (*http.Transport, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: d.Insecure} //nolint:gosec // the user asked for --insecure
	if d.CA != "" {
		pool, err := certPool(d.CA)
		if err != nil {
			return nil, err
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return tr, nil
}

// explain says what a failed login means and what to do.
func explain(d document, err error) error {
	if err == nil {
		return nil
	}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var terr *transport.Error
	switch {
	case errors.As(err, &unknownCA):
		return fmt.Errorf("the certificate of %s is not signed by a CA this registry trusts: give the registry's CA (--ca-file) or --insecure: %v", d.URL, err)
	case errors.As(err, &hostname):
		return fmt.Errorf("the certificate of %s is not for that host: %v", d.URL, err)
	case errors.As(err, &terr) && terr.StatusCode == http.StatusUnauthorized && d.Username == "":
		return fmt.Errorf("%s requires credentials: add the registry again with --username and --password-stdin", d.URL)
	case errors.As(err, &terr) && terr.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%s refused the credentials of user %q: check the username and password", d.URL, d.Username)
	}
	return fmt.Errorf("cannot log in to %s: %v", d.URL, err)
}
