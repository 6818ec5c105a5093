package identity

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
)

// How long the directory may take: to answer a connection, and any one operation. A
// login waits for both at most, so a dead directory delays it a few seconds, no more.
const (
	directoryDialTimeout = 5 * time.Second
	directoryOpTimeout   = 10 * time.Second
	// maxDirectoryLogins bounds the directory connections a login flood opens. They
	// have their own slots, not the hasher's: a directory that hangs must not hold up
	// the logins of local users.
	maxDirectoryLogins = 8
)

var errDirectoryBusy = api.Errorf(api.ErrTooManyRequests, "too many directory logins at once: retry in a few seconds")

// acquireDirectory takes one of the directory slots, waiting at most hashWait.
func (s *Service) acquireDirectory(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case s.directorySlots <- struct{}{}:
		return func() { <-s.directorySlots }, nil
	case <-t.C:
		return nil, errDirectoryBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// directory is the LDAP client of one login or test, with the settings of that moment.
type directory struct {
	settings     ldapDoc
	bindPassword string
}

// directoryUser is what the directory says of a user.
type directoryUser struct {
	DN          string
	DisplayName string
	Groups      []string // normalized DNs
}

// directory returns the directory client, nil if none is set up.
func (s *Service) directory() (*directory, error) {
	s.mu.RLock()
	d := s.ldap
	s.mu.RUnlock()
	if d == nil {
		return nil, nil
	}
	dir := &directory{settings: *d}
	if d.SealedBindPassword != "" {
		if s.sealer == nil {
			return nil, api.Errorf(api.ErrUnavailable, "the manager has no catalog key to open the directory's bind password: run `docker exos manager install` again")
		}
		plain, err := s.sealer.Open(ldapName, d.SealedBindPassword)
		if err != nil {
			return nil, api.Errorf(api.ErrUnavailable, "cannot open the directory's bind password (the catalog key changed?): set it again with `docker exos auth ldap set`")
		}
		dir.bindPassword = string(plain)
	}
	return dir, nil
}

func (d *directory) unreachable(err error) error {
	return api.Errorf(api.ErrUnavailable, "the directory at %s does not answer: %v (local users can still log in)", d.settings.URL, err)
}

// connect opens a connection, over TLS for ldaps:// or upgraded with StartTLS if the
// settings say so (directory_tls.go).
func (d *directory) connect() (*ldap.Conn, error) {
	raw, err := d.dial()
	if err != nil {
		return nil, err
	}
	return d.secure(raw)
}

// serviceBind binds as the service account; without one the search is anonymous.
func (d *directory) serviceBind(conn *ldap.Conn) error {
	if d.settings.BindDN == "" {
		return nil
	}
	if err := conn.Bind(d.settings.BindDN, d.bindPassword); err != nil {
		if isNetwork(err) {
			return d.unreachable(err)
		}
		return api.Errorf(api.ErrUnavailable, "the directory at %s refused the bind DN %s: %v (check it and its password: `docker exos auth ldap test`)", d.settings.URL, d.settings.BindDN, err)
	}
	return nil
}

// findUser searches the one entry of username; errBadLogin if there is none or several.
func (d *directory) findUser(conn *ldap.Conn, username string) (*ldap.Entry, error) {
	filter := strings.ReplaceAll(d.settings.UserFilter, "{username}", ldap.EscapeFilter(username))
	req := ldap.NewSearchRequest(d.settings.UserBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, int(directoryOpTimeout/time.Second), false,
		filter, []string{d.settings.DisplayNameAttribute, "memberOf"}, nil)
	res, err := conn.Search(req)
	if ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) || err == nil && len(res.Entries) > 1 {
		return nil, errBadLogin // ambiguous: no way to tell which entry's password to check
	}
	if err != nil {
		if isNetwork(err) {
			return nil, d.unreachable(err)
		}
		return nil, api.Errorf(api.ErrUnavailable, "the directory at %s refused the user search under %s: %v", d.settings.URL, d.settings.UserBase, err)
	}
	if len(res.Entries) == 0 {
		return nil, errBadLogin
	}
	return res.Entries[0], nil
}

// userBind checks the user's password by binding as its entry.
func (d *directory) userBind(conn *ldap.Conn, dn, password string) error {
	err := conn.Bind(dn, password)
	switch {
	case err == nil:
		return nil
	case ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials):
		return errBadLogin
	case isNetwork(err):
		return d.unreachable(err)
	}
	return api.Errorf(api.ErrUnavailable, "the directory at %s refused the bind of %s: %v", d.settings.URL, dn, err)
}

// groupsOf reads the user's groups: a search under the group base, or without one the
// entry's memberOf. The service account searches, as the user may not read groups.
func (d *directory) groupsOf(conn *ldap.Conn, entry *ldap.Entry) ([]string, error) {
	var dns []string
	if d.settings.GroupBase == "" {
		dns = entry.GetAttributeValues("memberOf")
	} else {
		if err := d.serviceBind(conn); err != nil {
			return nil, err
		}
		filter := strings.ReplaceAll(d.settings.GroupFilter, "{dn}", ldap.EscapeFilter(entry.DN))
		req := ldap.NewSearchRequest(d.settings.GroupBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, int(directoryOpTimeout/time.Second), false,
			filter, []string{"1.1"}, nil)
		res, err := conn.Search(req)
		if err != nil {
			if isNetwork(err) {
				return nil, d.unreachable(err)
			}
			return nil, api.Errorf(api.ErrUnavailable, "the directory at %s refused the group search under %s: %v", d.settings.URL, d.settings.GroupBase, err)
		}
		for _, e := range res.Entries {
			dns = append(dns, e.DN)
		}
	}
	out := make([]string, 0, len(dns))
	for _, dn := range dns {
		out = append(out, normalizeDN(dn))
	}
	return out, nil
}

// login checks username's password with the directory and reads its entry and groups.
func (d *directory) login(username, password string) (directoryUser, error) {
	conn, err := d.connect()
	if err != nil {
		return directoryUser{}, err
	}
	defer conn.Close()
	if err := d.serviceBind(conn); err != nil {
		return directoryUser{}, err
	}
	entry, err := d.findUser(conn, username)
	if err != nil {
		return directoryUser{}, err
	}
	if err := d.userBind(conn, entry.DN, password); err != nil {
		return directoryUser{}, err
	}
	groups, err := d.groupsOf(conn, entry)
	if err != nil {
		return directoryUser{}, err
	}
	return directoryUser{DN: entry.DN, DisplayName: entry.GetAttributeValue(d.settings.DisplayNameAttribute), Groups: groups}, nil
}

// isNetwork reports whether err is the connection failing rather than the directory
// answering.
func isNetwork(err error) bool {
	var le *ldap.Error
	return ldap.IsErrorWithCode(err, ldap.ErrorNetwork) || !errors.As(err, &le)
}
