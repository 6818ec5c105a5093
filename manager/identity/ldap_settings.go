package identity

import (
	"context"
	"crypto/x509"
	"net/url"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
)

// Defaults for the settings most directories share (OpenLDAP's inetOrgPerson and
// groupOfNames).
const (
	defaultUserFilter  = "(uid={username})"
	defaultDisplayName = "cn"
	defaultGroupFilter = "(&(objectClass=groupOfNames)(member={dn}))"
)

var errNoDirectory = api.Errorf(api.ErrNotFound, "no directory is set up (see `docker exos auth ldap set`)")

// LDAPSettings returns the directory settings, without the bind password.
func (s *Service) LDAPSettings() (api.LDAPSettings, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ldap == nil {
		return api.LDAPSettings{}, errNoDirectory
	}
	return describeLDAP(s.ldap), nil
}

func describeLDAP(d *ldapDoc) api.LDAPSettings {
	return api.LDAPSettings{
		URL: d.URL, StartTLS: d.StartTLS, CA: d.CA, BindDN: d.BindDN, BindPasswordSet: d.SealedBindPassword != "",
		UserBase: d.UserBase, UserFilter: d.UserFilter, DisplayNameAttribute: d.DisplayNameAttribute,
		GroupBase: d.GroupBase, GroupFilter: d.GroupFilter, UpdatedAt: d.UpdatedAt,
	}
}

// SetLDAPSettings checks and stores the directory settings. The bind password is sealed
// under the catalog key: the stored config holds only its ciphertext.
func (s *Service) SetLDAPSettings(ctx context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error) {
	d := &ldapDoc{Format: format, URL: req.URL, StartTLS: req.StartTLS, CA: req.CA, BindDN: req.BindDN,
		UserBase: req.UserBase, UserFilter: orDefault(req.UserFilter, defaultUserFilter),
		DisplayNameAttribute: orDefault(req.DisplayNameAttribute, defaultDisplayName),
		GroupBase:            req.GroupBase, GroupFilter: req.GroupFilter, UpdatedAt: s.now().UTC()}
	if d.GroupBase != "" {
		d.GroupFilter = orDefault(d.GroupFilter, defaultGroupFilter)
	}
	if err := checkLDAP(d); err != nil {
		return api.LDAPSettings{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	old := s.ldap
	s.mu.RUnlock()
	switch {
	case req.BindPassword != "":
		if s.sealer == nil {
			return api.LDAPSettings{}, api.Errorf(api.ErrUnavailable, "the manager has no catalog key to seal the bind password with: run `docker exos manager install` again")
		}
		sealed, err := s.sealer.Seal(ldapName, []byte(req.BindPassword))
		if err != nil {
			return api.LDAPSettings{}, err
		}
		d.SealedBindPassword = sealed
	case old != nil && old.BindDN == d.BindDN:
		d.SealedBindPassword = old.SealedBindPassword
	}
	if d.BindDN != "" && d.SealedBindPassword == "" {
		return api.LDAPSettings{}, api.Errorf(api.ErrInvalid, "give the password of the bind DN %s (--bind-password-stdin)", d.BindDN)
	}
	if err := s.put(ctx, kindLDAP, ldapName, d); err != nil {
		return api.LDAPSettings{}, err
	}
	s.change(func() { s.ldap = d })
	return describeLDAP(d), nil
}

// RemoveLDAPSettings turns directory login off. Directory users stay, with their roles,
// but cannot log in; their API tokens act with the groups of their last login.
func (s *Service) RemoveLDAPSettings(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.objects.Delete(ctx, kindLDAP, ldapName); err != nil {
		return err
	}
	s.change(func() { s.ldap = nil })
	return nil
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}

// checkLDAP refuses settings that could never work, saying which field is wrong.
func checkLDAP(d *ldapDoc) error {
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
		return api.Errorf(api.ErrInvalid, "the directory URL %q must be ldap://host[:port] or ldaps://host[:port]", d.URL)
	}
	if d.StartTLS && u.Scheme == "ldaps" {
		return api.Errorf(api.ErrInvalid, "StartTLS is for ldap:// URLs: an ldaps:// connection is TLS already")
	}
	if d.CA != "" && !x509.NewCertPool().AppendCertsFromPEM([]byte(d.CA)) {
		return api.Errorf(api.ErrInvalid, "the directory CA holds no PEM certificate")
	}
	for _, dn := range []struct{ field, value string }{{"bind DN", d.BindDN}, {"user base", d.UserBase}, {"group base", d.GroupBase}} {
		if _, err := ldap.ParseDN(dn.value); err != nil {
			return api.Errorf(api.ErrInvalid, "the %s %q is no DN: %v", dn.field, dn.value, err)
		}
	}
	if d.UserBase == "" {
		return api.Errorf(api.ErrInvalid, "the user base (where to search users, like ou=people,dc=example,dc=com) is required")
	}
	if err := checkFilter("user filter", d.UserFilter, "{username}"); err != nil {
		return err
	}
	if d.GroupBase != "" {
		return checkFilter("group filter", d.GroupFilter, "{dn}")
	}
	return nil
}

func checkFilter(field, filter, placeholder string) error {
	if !strings.Contains(filter, placeholder) {
		return api.Errorf(api.ErrInvalid, "the %s %q must contain %s", field, filter, placeholder)
	}
	if _, err := ldap.CompileFilter(strings.ReplaceAll(filter, placeholder, "x")); err != nil {
		return api.Errorf(api.ErrInvalid, "the %s %q is no LDAP filter: %v", field, filter, err)
	}
	return nil
}
