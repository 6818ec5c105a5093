package identity

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
)

const alicePassword = "alice's long password"

// setDirectory points f's service at url, with StartTLS or not and the CA caPEM.
func setDirectory(t *testing.T, f *fixture, url string, startTLS bool, caPEM string) {
	t.Helper()
	_, err := f.svc.SetLDAPSettings(context.Background(), api.LDAPSettingsRequest{
		LDAPSettings: api.LDAPSettings{URL: url, StartTLS: startTLS, CA: caPEM, BindDN: slapdAdmin,
			UserBase: "ou=people," + slapdSuffix, GroupBase: "ou=groups," + slapdSuffix},
		BindPassword: slapdSecret,
	})
	assert.NilError(t, err)
}

// Over ldaps:// and with StartTLS on ldap://, the directory's certificate checked against
// the CA of the settings: alice logs in, and the settings' test passes its TLS step.
func TestDirectoryLoginOverTLS(t *testing.T) {
	dir := startSlapd(t)
	for _, tc := range []struct {
		name     string
		url      string
		startTLS bool
	}{{"ldaps", dir.ldapsURL, false}, {"StartTLS", dir.url, true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			setDirectory(t, f, tc.url, tc.startTLS, dir.caPEM)
			alice := f.principal(f.login("alice", alicePassword))
			assert.Check(t, is.Equal(alice.User, "alice"))

			res, err := f.svc.TestLDAP(context.Background(), api.LDAPTestRequest{Username: "alice", Password: alicePassword})
			assert.NilError(t, err)
			assert.Check(t, res.OK, "%+v", res.Steps)
			assert.Check(t, is.DeepEqual(stepNames(res), []string{"connect", "TLS", "service bind", "search user", "user bind", "groups"}))
			assert.Check(t, is.Contains(res.Steps[1].Detail, "trusted"))
		})
	}
}

// A directory whose certificate another CA signed is refused, over ldaps:// and with
// StartTLS alike, before any password is sent: the login says the certificate is not
// trusted (and names no password), and the settings' test fails at its TLS step.
func TestDirectoryCertificateFromAnotherCA(t *testing.T) {
	dir := startSlapd(t)
	otherCA, _, err := tlsconf.NewCA("another CA", time.Now())
	assert.NilError(t, err)
	for _, tc := range []struct {
		name     string
		url      string
		startTLS bool
	}{{"ldaps", dir.ldapsURL, false}, {"StartTLS", dir.url, true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			setDirectory(t, f, tc.url, tc.startTLS, string(otherCA))
			_, err := f.svc.Login(context.Background(), api.LoginRequest{Username: "alice", Password: alicePassword}, "192.0.2.3:1")
			assert.Check(t, is.ErrorIs(err, api.ErrUnavailable))
			assert.Check(t, is.ErrorContains(err, "the certificate of the directory at "+tc.url+" is not trusted"))
			assert.Check(t, is.ErrorContains(err, "not signed by the CA of the directory settings"))
			checkNamesNoSecret(t, err.Error())
			_, err = f.svc.InspectUser("alice")
			assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "a refused login creates nobody")

			res, err := f.svc.TestLDAP(context.Background(), api.LDAPTestRequest{Username: "alice", Password: alicePassword})
			assert.NilError(t, err)
			assert.Check(t, !res.OK)
			assert.Assert(t, is.DeepEqual(stepNames(res), []string{"connect", "TLS"}))
			assert.Check(t, res.Steps[0].OK && !res.Steps[1].OK, "%+v", res.Steps)
			assert.Check(t, is.Contains(res.Steps[1].Detail, "is not trusted"))
			checkNamesNoSecret(t, res.Steps[1].Detail)
		})
	}
}

// Without a CA in the settings the system's roots decide, and they do not know the
// test's CA.
func TestDirectoryCertificateWithoutCA(t *testing.T) {
	dir := startSlapd(t)
	f := newFixture(t)
	setDirectory(t, f, dir.ldapsURL, false, "")
	_, err := f.svc.Login(context.Background(), api.LoginRequest{Username: "alice", Password: alicePassword}, "192.0.2.3:1")
	assert.Check(t, is.ErrorContains(err, "is not trusted: it is not signed by a CA of the system"))
}

// A certificate from the right CA but for another host is refused too: the host name
// of the URL is checked, for an IP address as for a name.
func TestDirectoryCertificateForAnotherHost(t *testing.T) {
	caCert, caKey, err := tlsconf.NewCA("directory test CA", time.Now())
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(t, err)
	cert, err := ca.Issue([]string{"directory.example.com"}, time.Now())
	assert.NilError(t, err)
	// A TLS server is enough: the handshake fails before any LDAP.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{*cert}})
	assert.NilError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.(*tls.Conn).Handshake()
			conn.Close()
		}
	}()

	f := newFixture(t)
	url := "ldaps://" + ln.Addr().String()
	setDirectory(t, f, url, false, string(caCert))
	_, err = f.svc.Login(context.Background(), api.LoginRequest{Username: "alice", Password: alicePassword}, "192.0.2.3:1")
	assert.Check(t, is.ErrorContains(err, "the certificate of the directory at "+url+" is not trusted"))
	assert.Check(t, is.ErrorContains(err, "it is valid for directory.example.com, not for 127.0.0.1"))
}

// checkNamesNoSecret checks that msg holds neither the user's nor the bind password.
func checkNamesNoSecret(t *testing.T, msg string) {
	t.Helper()
	for _, secret := range []string{alicePassword, slapdSecret} {
		assert.Check(t, !strings.Contains(msg, secret), "%q names a password", msg)
	}
}
