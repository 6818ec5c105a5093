package registries

import (
	"context"
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

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"github.com/exos-platform/exos/manager/tlsconf"
	"golang.org/x/crypto/bcrypt"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// startRegistry runs Debian's docker-registry on loopback with htpasswd auth (user ci)
// and a certificate of a CA made here; it returns the address and the CA's PEM.
func startRegistry(t *testing.T, password string) (addr, caPEM string) {
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
	leaf, err := ca.Issue([]string{"127.0.0.1"}, now)
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
		"htpasswd": []byte("ci:" + string(hash) + "\n")} {
		assert.NilError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	addr = l.Addr().String()
	l.Close()
	config := fmt.Sprintf(`version: 0.1
log: {level: error}
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

func TestLoginToARealRegistry(t *testing.T) {
	const password = "s3cret-Registry-pw"
	addr, ca := startRegistry(t, password)
	otherCA, _, err := tlsconf.NewCA("another CA", time.Now())
	assert.NilError(t, err)
	ctx := context.Background()
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	for _, req := range []api.RegistryAddRequest{
		{Name: "good", URL: addr, Username: "ci", Password: password, CA: ca},
		{Name: "wrong", URL: addr, Username: "ci", Password: "not-the-" + password, CA: ca},
		{Name: "anonymous", URL: addr, CA: ca},
		{Name: "other-ca", URL: addr, Username: "ci", Password: password, CA: string(otherCA)},
		{Name: "insecure", URL: addr, Username: "ci", Password: password, Insecure: true},
	} {
		_, err := s.Add(ctx, req, "alice", "")
		assert.NilError(t, err)
	}
	for name, want := range map[string]string{
		"good":      "",
		"wrong":     `refused the credentials of user "ci"`,
		"anonymous": "requires credentials",
		"other-ca":  "not signed by a CA this registry trusts",
		"insecure":  "",
	} {
		res, err := s.TestLogin(ctx, name)
		assert.NilError(t, err)
		if want == "" {
			assert.Check(t, res.OK, "%s: %s", name, res.Error)
			continue
		}
		assert.Check(t, !res.OK, name)
		assert.Check(t, is.Contains(res.Error, want), name)
		assert.Check(t, !strings.Contains(res.Error, password), "%s: the error names the password: %s", name, res.Error)
	}
	_, err = s.TestLogin(ctx, "ghost")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}
