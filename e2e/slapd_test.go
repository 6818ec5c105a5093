//go:build e2e

package e2e

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
	"gotest.tools/v3/poll"
)

// slapd is a real OpenLDAP server (Debian's slapd) on the host's address on the bridge of
// a test swarm, where the manager, in a container on node 1, reaches it as it would a
// company's directory. Its config and database live in a temporary directory.
type slapd struct {
	url  string // ldap://10.201.K.1:PORT
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// The directory's tree: people, groups and the service account EXOS searches with.
const (
	ldapSuffix      = "dc=example,dc=com"
	ldapRoot        = "cn=admin," + ldapSuffix
	ldapRootSecret  = "directory root secret"
	ldapPeople      = "ou=people," + ldapSuffix
	ldapGroups      = "ou=groups," + ldapSuffix
	ldapServiceDN   = "cn=exos,ou=services," + ldapSuffix
	ldapDevsDN      = "cn=devs," + ldapGroups
	ldapOpsDN       = "cn=ops," + ldapGroups
	ldapAlicePass   = "alice's directory Pa55word"
	ldapBobPass     = "bob's directory Pa55word"
	ldapServicePass = "exos-bind-Secret-7f3a91c2"
)

// startSlapd starts slapd for e's swarm, seeded with seedDirectory, and stops it when the
// test ends. Without slapd the test fails: scripts/install-deps.sh installs it.
func startSlapd(t *testing.T, e *exos) *slapd {
	t.Helper()
	bin, err := exec.LookPath("slapd")
	if err != nil {
		bin, err = exec.LookPath("/usr/sbin/slapd")
	}
	assert.NilError(t, err, "slapd is missing: run scripts/install-deps.sh (Debian packages slapd ldap-utils)")
	dir := t.TempDir()
	assert.NilError(t, os.Mkdir(filepath.Join(dir, "data"), 0o700))
	conf := filepath.Join(dir, "slapd.conf")
	assert.NilError(t, os.WriteFile(conf, []byte(fmt.Sprintf(slapdConf, dir, dir, ldapSuffix, ldapRoot, ldapRootSecret)), 0o600))
	s := &slapd{url: "ldap://" + freeBridgeAddr(t, e), logs: &bytes.Buffer{}}
	// -d 0 keeps slapd in the foreground, where the test can stop it.
	s.cmd = exec.Command(bin, "-h", s.url+"/", "-f", conf, "-d", "0")
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

// freeBridgeAddr is a free TCP address on the host's side of the bridge of swarm e.
func freeBridgeAddr(t *testing.T, e *exos) string {
	ln, err := net.Listen("tcp", fmt.Sprintf("10.201.%d.1:0", e.sw.ID))
	assert.NilError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func (s *slapd) waitReady(t *testing.T) {
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if s.cmd.ProcessState != nil {
			return poll.Error(fmt.Errorf("slapd exited: %s\n%s", s.cmd.ProcessState, s.logs))
		}
		conn, err := ldap.DialURL(s.url)
		if err != nil {
			return poll.Continue("slapd does not answer on %s yet: %v", s.url, err)
		}
		conn.Close()
		return poll.Success()
	}, poll.WithTimeout(15*time.Second), poll.WithDelay(50*time.Millisecond))
}

// stop kills slapd and waits for it: the directory then does not answer.
func (s *slapd) stop() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

// seed adds the service account, alice (in groups devs and ops), bob (in none), and the
// groupOfNames groups.
func (s *slapd) seed(t *testing.T) {
	conn, err := ldap.DialURL(s.url)
	assert.NilError(t, err)
	defer conn.Close()
	assert.NilError(t, conn.Bind(ldapRoot, ldapRootSecret))
	add := func(dn string, attrs map[string][]string) {
		req := ldap.NewAddRequest(dn, nil)
		for k, v := range attrs {
			req.Attribute(k, v)
		}
		assert.NilError(t, conn.Add(req), dn)
	}
	add(ldapSuffix, map[string][]string{"objectClass": {"dcObject", "organization"}, "o": {"Example"}, "dc": {"example"}})
	for _, ou := range []string{"people", "groups", "services"} {
		add("ou="+ou+","+ldapSuffix, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {ou}})
	}
	add(ldapServiceDN, map[string][]string{"objectClass": {"person"}, "cn": {"exos"}, "sn": {"EXOS"}, "userPassword": {ldapServicePass}})
	for _, u := range []struct{ uid, name, password string }{{"alice", "Alice Liddell", ldapAlicePass}, {"bob", "Bob Builder", ldapBobPass}} {
		add(ldapUserDN(u.uid), map[string][]string{
			"objectClass": {"inetOrgPerson"}, "uid": {u.uid}, "cn": {u.name}, "sn": {strings.Fields(u.name)[1]}, "userPassword": {u.password},
		})
	}
	// ops is mapped onto no EXOS group: alice is in it, and gets nothing from it.
	for _, g := range []string{ldapDevsDN, ldapOpsDN} {
		cn := strings.TrimPrefix(strings.SplitN(g, ",", 2)[0], "cn=")
		add(g, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {cn}, "member": {ldapUserDN("alice")}})
	}
}

func ldapUserDN(uid string) string { return "uid=" + uid + "," + ldapPeople }
