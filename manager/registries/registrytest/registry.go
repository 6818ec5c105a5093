// Package registrytest runs a real registry for tests: Debian's docker-registry on loopback
// with TLS from a CA made by the test, and htpasswd auth (user User) or token auth from a
// token server of the test.
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
	r := StartWith(t, Options{Password: password, Host: host})
	return r.Addr, r.CA
}

// Options are what StartWith runs the registry with.
type Options struct {
	Password string
	// Host is the IP address it listens on and its certificate is for (default 127.0.0.1).
	Host string
	// Config is YAML added to the registry's config.yml: a notifications: block, say.
	Config string
	// Env is added to the registry process's environment: SSL_CERT_FILE=... makes it
	// trust the CA of the endpoints it notifies.
	Env []string
	// TokenAuth has clients log in at a token server (same user and password) rather
	// than send the password on every request.
	TokenAuth bool
}

// Registry is a running docker-registry: its address and the PEM of the CA that signed
// its certificate.
type Registry struct {
	Addr, CA string
	bin, dir string
	// auth is the config's auth: block.
	auth string
	cmd  *exec.Cmd
}

// StartWith is Start with options; the registry is stopped when the test ends.
func StartWith(t testing.TB, o Options) *Registry {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("docker-registry is missing: run scripts/install-deps.sh")
		}
		t.Skip("docker-registry is missing (apt-get install docker-registry)")
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	r := &Registry{bin: bin, dir: t.TempDir()}
	now := time.Now()
	caCert, caKey, err := tlsconf.NewCA("registry test CA", now)
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(t, err)
	leaf, err := ca.Issue([]string{o.Host}, now)
	assert.NilError(t, err)
	key, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	assert.NilError(t, err)
	var chain []byte
	for _, der := range leaf.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(o.Password), bcrypt.MinCost)
	assert.NilError(t, err)
	for name, data := range map[string][]byte{"cert.pem": chain, "key.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}),
		"htpasswd": []byte(User + ":" + string(hash) + "\n")} {
		assert.NilError(t, os.WriteFile(filepath.Join(r.dir, name), data, 0o600))
	}
	l, err := net.Listen("tcp", net.JoinHostPort(o.Host, "0"))
	assert.NilError(t, err)
	r.Addr, r.CA = l.Addr().String(), string(caCert)
	l.Close()
	r.auth = fmt.Sprintf("  htpasswd: {realm: test, path: %s/htpasswd}\n", r.dir)
	if o.TokenAuth {
		ts := startTokenServer(t, ca, o.Host, o.Password)
		bundle := filepath.Join(r.dir, "token.pem")
		assert.NilError(t, os.WriteFile(bundle, ts.certificate(), 0o600))
		r.auth = ts.authConfig(bundle)
	}
	t.Cleanup(r.Stop)
	r.Restart(t, o.Config, o.Env...)
	return r
}

// Restart stops the registry if it runs and starts it again on the same address, with
// the same certificate and storage, and config added to its config.yml (as
// Options.Config) and env to its environment.
func (r *Registry) Restart(t testing.TB, config string, env ...string) {
	t.Helper()
	r.Stop()
	full := fmt.Sprintf(`version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: %[1]s/data}}
http:
  addr: %[2]s
  tls: {certificate: %[1]s/cert.pem, key: %[1]s/key.pem}
auth:
`, r.dir, r.Addr) + r.auth + config
	assert.NilError(t, os.WriteFile(filepath.Join(r.dir, "config.yml"), []byte(full), 0o600))
	r.cmd = exec.Command(r.bin, "serve", filepath.Join(r.dir, "config.yml"))
	r.cmd.Env = append(os.Environ(), env...)
	r.cmd.Stdout, r.cmd.Stderr = os.Stderr, os.Stderr
	assert.NilError(t, r.cmd.Start())
	for deadline := time.Now().Add(20 * time.Second); ; {
		c, err := net.DialTimeout("tcp", r.Addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		assert.Assert(t, time.Now().Before(deadline), "docker-registry did not listen on %s", r.Addr)
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the registry (a registry that is down, for tests of what fails then).
func (r *Registry) Stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}
