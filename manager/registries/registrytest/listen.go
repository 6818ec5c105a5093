package registrytest

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/tlsconf"
	"golang.org/x/crypto/bcrypt"
	"gotest.tools/v3/assert"
)

// StartOn is Start on another address than loopback: ip, a free port, and a certificate
// for ip, for clients that cannot reach the host's loopback (the test bed's dockerds in
// their network namespaces). It returns the address (ip:port) and the CA's PEM.
func StartOn(t testing.TB, password, ip string) (addr, caPEM string) {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("docker-registry is missing: run scripts/install-deps.sh")
		}
		t.Skip("docker-registry is missing (apt-get install docker-registry)")
	}
	dir := t.TempDir()
	caCert := writeTLS(t, dir, ip)
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	assert.NilError(t, err)
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "htpasswd"), []byte(User+":"+string(hash)+"\n"), 0o600))
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	assert.NilError(t, err)
	addr = l.Addr().String()
	l.Close()
	config := fmt.Sprintf(`version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: %[1]s/data}}
http:
  addr: %[2]s
  tls: {certificate: %[1]s/cert.pem, key: %[1]s/key.pem}
auth:
  htpasswd: {realm: test, path: %[1]s/htpasswd}
`, dir, addr)
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "config.yml"), []byte(config), 0o600))
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.yml"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	assert.NilError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		assert.Assert(t, time.Now().Before(deadline), "docker-registry did not listen on %s", addr)
		time.Sleep(50 * time.Millisecond)
	}
	return addr, string(caCert)
}

// writeTLS makes a CA and a certificate for ip signed by it, writes cert.pem and key.pem
// into dir and returns the CA's PEM.
func writeTLS(t testing.TB, dir, ip string) []byte {
	t.Helper()
	now := time.Now()
	caCert, caKey, err := tlsconf.NewCA("registry test CA", now)
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(t, err)
	leaf, err := ca.Issue([]string{ip}, now)
	assert.NilError(t, err)
	key, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	assert.NilError(t, err)
	var chain []byte
	for _, der := range leaf.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "cert.pem"), chain, 0o600))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600))
	return caCert
}
