package identity

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/manager/tlsconf"
)

// slapd is a real OpenLDAP server (Debian's slapd) on loopback, with its own config and
// database in a temporary directory, seeded with people and groupOfNames groups. It
// serves ldap:// (where StartTLS works) and ldaps://, with a certificate for 127.0.0.1
// and localhost from its own CA.
type slapd struct {
	url      string
	ldapsURL string
	caPEM    string
	cmd      *exec.Cmd
	logs     *bytes.Buffer
}

const (
	slapdSuffix = "dc=example,dc=com"
	slapdAdmin  = "cn=admin,dc=example,dc=com"
	slapdSecret = "directory admin secret"
)

// startSlapd starts slapd for t. Without slapd the test is skipped, except in CI
// (CI=true), where `scripts/install-deps.sh` installs it and its absence is a failure.
func startSlapd(t *testing.T) *slapd {
	t.Helper()
	bin, err := exec.LookPath("slapd")
	if err != nil {
		if bin, err = exec.LookPath("/usr/sbin/slapd"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("slapd is missing: run scripts/install-deps.sh (Debian packages slapd ldap-utils)")
			}
			t.Skip("slapd is not installed (apt-get install slapd); CI=true makes this a failure")
		}
	}
	dir := t.TempDir()
	assert.NilError(t, os.Mkdir(filepath.Join(dir, "data"), 0o700))
	conf := filepath.Join(dir, "slapd.conf")
	assert.NilError(t, os.WriteFile(conf, []byte(fmt.Sprintf(slapdConf, dir, slapdSuffix, slapdAdmin, slapdSecret)), 0o600))
	s := &slapd{url: "ldap://127.0.0.1:" + freePort(t), ldapsURL: "ldaps://127.0.0.1:" + freePort(t), caPEM: writeSlapdTLS(t, dir), logs: &bytes.Buffer{}}
	// -d 0 keeps slapd in the foreground, where the test can stop it.
	s.cmd = exec.Command(bin, "-h", s.url+"/ "+s.ldapsURL+"/", "-f", conf, "-d", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	assert.NilError(t, s.cmd.Start())
	t.Cleanup(s.stop)
	s.waitReady(t)
	s.seed(t)
	return s
}

// slapdConf is slapd.conf, from the directory of its files, the suffix, the root DN and
// its password.
const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile %[1]s/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile %[1]s/ca.pem
TLSCertificateFile %[1]s/server.pem
TLSCertificateKeyFile %[1]s/server.key
database mdb
maxsize 10485760
directory %[1]s/data
suffix "%[2]s"
rootdn "%[3]s"
rootpw "%[4]s"
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`

// writeSlapdTLS makes a CA and a server certificate from it for 127.0.0.1 and localhost,
// writes them in dir as slapd.conf names them (PEM; the key PKCS #8, as slapd's GnuTLS
// reads it) and returns the CA's certificate.
func writeSlapdTLS(t *testing.T, dir string) string {
	caCert, caKey, err := tlsconf.NewCA("directory test CA", time.Now())
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(t, err)
	server, err := ca.Issue([]string{"127.0.0.1", "localhost"}, time.Now())
	assert.NilError(t, err)
	key, err := x509.MarshalPKCS8PrivateKey(server.PrivateKey)
	assert.NilError(t, err)
	chain := tlsconf.EncodeCertificates(server.Leaf, ca.Cert)
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "ca.pem"), caCert, 0o600))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "server.pem"), chain, 0o600))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "server.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600))
	return string(caCert)
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func (s *slapd) waitReady(t *testing.T) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if conn, err := ldap.DialURL(s.url); err == nil {
			conn.Close()
			return
		}
	}
	t.Fatalf("slapd did not start on %s:\n%s", s.url, s.logs)
}

// stop kills slapd and waits for it: the directory then does not answer.
func (s *slapd) stop() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

// seed adds alice and bob to ou=people, and groups developers (alice) and ops (bob).
func (s *slapd) seed(t *testing.T) {
	conn, err := ldap.DialURL(s.url)
	assert.NilError(t, err)
	defer conn.Close()
	assert.NilError(t, conn.Bind(slapdAdmin, slapdSecret))
	add := func(dn string, attrs map[string][]string) {
		req := ldap.NewAddRequest(dn, nil)
		for k, v := range attrs {
			req.Attribute(k, v)
		}
		assert.NilError(t, conn.Add(req), dn)
	}
	add(slapdSuffix, map[string][]string{"objectClass": {"dcObject", "organization"}, "o": {"Example"}, "dc": {"example"}})
	for _, ou := range []string{"people", "groups"} {
		add("ou="+ou+","+slapdSuffix, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {ou}})
	}
	for _, u := range []struct{ uid, name, password string }{{"alice", "Alice Liddell", "alice's long password"}, {"bob", "Bob Builder", "bob's long password"}} {
		add("uid="+u.uid+",ou=people,"+slapdSuffix, map[string][]string{
			"objectClass": {"inetOrgPerson"}, "uid": {u.uid}, "cn": {u.name}, "sn": {strings.Fields(u.name)[1]}, "userPassword": {u.password},
		})
	}
	add("cn=developers,ou=groups,"+slapdSuffix, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"developers"}, "member": {"uid=alice,ou=people," + slapdSuffix}})
	add("cn=ops,ou=groups,"+slapdSuffix, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"ops"}, "member": {"uid=bob,ou=people," + slapdSuffix}})
}
