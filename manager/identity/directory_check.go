package identity

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/go-ldap/ldap/v3"

	"github.com/exos-platform/exos/manager/api"
)

// TestLDAP tries the stored directory settings step by step, as a login would: connect,
// TLS (for ldaps:// or StartTLS), the service bind, and with a user name its search, and
// with a password its bind and groups. It stops at the first step that fails and says why; it logs
// nobody in and counts no failed login.
func (s *Service) TestLDAP(ctx context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error) {
	dir, err := s.directory()
	if err != nil {
		return api.LDAPTestResult{}, err
	}
	if dir == nil {
		return api.LDAPTestResult{}, errNoDirectory
	}
	release, err := s.acquireDirectory(ctx)
	if err != nil {
		return api.LDAPTestResult{}, err
	}
	defer release()
	res := api.LDAPTestResult{DirectoryGroups: []string{}, Groups: []string{}}
	step := func(name string, err error, ok string) bool {
		st := api.LDAPTestStep{Step: name, OK: err == nil, Detail: ok}
		if err != nil {
			st.Detail = err.Error()
		}
		res.Steps = append(res.Steps, st)
		return err == nil
	}
	raw, err := dir.dial()
	if !step("connect", err, "connected to "+dir.settings.URL) {
		return res, nil
	}
	conn, err := dir.secure(raw)
	if dir.usesTLS() && !step("TLS", err, tlsDetail(conn)) {
		return res, nil
	}
	defer conn.Close()
	bindDetail := "anonymous search (no bind DN)"
	if dir.settings.BindDN != "" {
		bindDetail = "bound as " + dir.settings.BindDN
	}
	if !step("service bind", dir.serviceBind(conn), bindDetail) || req.Username == "" {
		res.OK = res.Steps[len(res.Steps)-1].OK
		return res, nil
	}
	entry, err := dir.findUser(conn, req.Username)
	if errors.Is(err, errBadLogin) {
		err = fmt.Errorf("no single entry matches %s under %s", dir.settings.UserFilter, dir.settings.UserBase)
	}
	if !step("search user", err, "") {
		return res, nil
	}
	res.DN, res.DisplayName = entry.DN, entry.GetAttributeValue(dir.settings.DisplayNameAttribute)
	res.Steps[len(res.Steps)-1].Detail = "found " + entry.DN
	if req.Password == "" {
		res.OK = true
		return res, nil
	}
	err = dir.userBind(conn, entry.DN, req.Password)
	if errors.Is(err, errBadLogin) {
		err = errors.New("the directory refused the password")
	}
	if !step("user bind", err, "the password is right") {
		return res, nil
	}
	groups, err := dir.groupsOf(conn, entry)
	if !step("groups", err, fmt.Sprintf("%d directory groups", len(groups))) {
		return res, nil
	}
	res.DirectoryGroups = groups
	res.Groups = s.groupsMapping(groups)
	res.OK = true
	return res, nil
}

// tlsDetail describes the TLS of conn, nil when the handshake failed.
func tlsDetail(conn *ldap.Conn) string {
	if conn == nil {
		return ""
	}
	state, _ := conn.TLSConnectionState()
	return "the directory's certificate is trusted (" + tls.VersionName(state.Version) + ")"
}

// groupsMapping lists the EXOS groups that map one of the directory groups dns.
func (s *Service) groupsMapping(dns []string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []string{}
	for _, g := range s.groups {
		for _, dn := range g.DirectoryGroups {
			if slices.Contains(dns, normalizeDN(dn)) && !slices.Contains(out, g.Name) {
				out = append(out, g.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}
