// Package registrytest runs a real registry for tests: Debian's docker-registry on loopback
// with htpasswd auth (user User) and TLS from a CA made by the test.
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

// User is the registry's only user.
const User = "ci"

// Start runs Debian's docker-registry on loopback with htpasswd auth (user ci)
// and a certificate of a CA made here; it returns the address and the CA's PEM.
func Start(t testing.TB, password string) (addr, caPEM string) {
	t.Helper()
	return StartOn(t, password, "127.0.0.1")
}

// StartOn is Start on host, an IP address of this machine: the test bed's bridge, which
// a manager in a container on a test bed node reaches where it cannot reach loopback.
// The certificate is for that address.
func StartOn(t testing.TB, password, host string) (addr, caPEM string) {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("docker-registry is missing: run scripts/install-deps.sh")
		}
		t.Skip("docker-registry is missing (apt-get install docker-registry)")
	}
	dir := t.TempDir()
	now := time.Now()
	caCert, caKey, err := tlsconf.NewCA("registry test CA", now)
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(t, err)
	leaf, err := ca.Issue([]string{host}, now)
	assert.NilError(t, err)
	key, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	assert.NilError(t, err)
	var chain []byte
	for _, der := range leaf.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	assert.NilError(t, err)
	for name, data := range map[string][]byte{"cert.pem": chain, "key.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}),
		"htpasswd": []byte(User + ":" + string(hash) + "\n")} {
		assert.NilError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
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
