package identity

import (
	"bytes"
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
)

// slapd is a real OpenLDAP server (Debian's slapd) on loopback, with its own config and
// database in a temporary directory, seeded with people and groupOfNames groups.
type slapd struct {
	url  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
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
	assert.NilError(t, os.WriteFile(conf, []byte(fmt.Sprintf(slapdConf, dir, dir, slapdSuffix, slapdAdmin, slapdSecret)), 0o600))
	url := "ldap://127.0.0.1:" + freePort(t)
	s := &slapd{url: url, logs: &bytes.Buffer{}}
	// -d 0 keeps slapd in the foreground, where the test can stop it.
	s.cmd = exec.Command(bin, "-h", url+"/", "-f", conf, "-d", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	assert.NilError(t, s.cmd.Start())
	t.Cleanup(s.stop)
	s.waitReady(t)
	s.seed(t)
	return s
}

const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile %s/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
directory %s/data
suffix "%s"
rootdn "%s"
rootpw "%s"
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`

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
