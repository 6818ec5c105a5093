//go:build e2e

package e2e

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// install runs `manager install` again on e's swarm with extra flags.
func (e *exos) install(extra ...string) *icmd.Result {
	args := append([]string{"manager", "install", "--image", managerImage(),
		"--docker-socket", strings.TrimPrefix(e.sw.Nodes[0].Host, "unix://"), "--agent-docker-socket", agentSocket(e.sw)}, extra...)
	return e.run(args...)
}

// setLoginField replaces one field of the login file, as an attacker or a stale copy
// would have it.
func (e *exos) setLoginField(name, value string) {
	data, err := os.ReadFile(e.loginFile())
	assert.NilError(e.t, err)
	fields := map[string]any{}
	assert.NilError(e.t, json.Unmarshal(data, &fields))
	fields[name] = value
	data, err = json.Marshal(fields)
	assert.NilError(e.t, err)
	assert.NilError(e.t, os.WriteFile(e.loginFile(), data, 0o600))
}

// The manager serves HTTPS from the swarm's CA; the plugin trusts that CA only, exports
// it, and refuses a manager whose certificate it did not sign.
func TestPluginRefusesAManagerOutsideThePinnedCA(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	saved := e.saved()
	assert.Assert(t, saved.CA != "", "install pinned the swarm's CA beside the token")
	assert.Check(t, strings.HasPrefix(e.api.BaseURL(), "https://"))
	assert.NilError(t, e.api.Health(context.Background()), "the pinned CA verifies the manager")

	res := e.run("manager", "ca")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(res.Stdout(), saved.CA))
	res = e.run("manager", "status")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "https://10.201."))
	assert.Check(t, is.Contains(res.Stdout(), "HTTPS, verified with the CA saved for this swarm"))
	assert.Check(t, is.Contains(res.Stdout(), "SHA256 "+fingerprint(t, saved.CA)))
	res = e.run("manager", "status", "--format", "{{.Transport.TLS}} {{.Transport.CAFingerprint}} {{range .Transport.Hosts}}{{.}},{{end}}")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "true "+fingerprint(t, saved.CA)+" "))
	assert.Check(t, is.Contains(res.Stdout(), e.sw.Nodes[0].IP+","), "the certificate is valid for the manager node's address")

	// CI verifies the manager with the exported CA, as docs/tls.md shows.
	caFile := filepath.Join(t.TempDir(), "exos-ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(e.run("manager", "ca").Stdout()), 0o600))
	icmd.RunCommand("curl", "-sf", "--cacert", caFile, e.api.BaseURL()+"/healthz").Assert(t, icmd.Success)

	// Plain HTTP gets nothing from the manager.
	plain, err := e.http.Get(strings.Replace(e.api.BaseURL(), "https://", "http://", 1) + "/api/v1/stacks")
	assert.NilError(t, err)
	plain.Body.Close()
	assert.Check(t, is.Equal(plain.StatusCode, 400), "an HTTP request to the HTTPS port is refused")

	// Another CA pinned: the plugin refuses the manager and says what to do.
	otherCA, _, err := tlsconf.NewCA("EXOS CA of someone else", time.Now())
	assert.NilError(t, err)
	e.setLoginField("ca", string(otherCA))
	res = e.run("stack", "ls")
	assert.Check(t, is.Equal(res.ExitCode, 1))
	assert.Check(t, is.Contains(res.Stderr(), "the EXOS manager's certificate is not signed by the CA saved for this swarm ("+e.loginFile()+")"))
	assert.Check(t, is.Contains(res.Stderr(), "refusing to talk to it"))
	assert.Check(t, is.Contains(res.Stderr(), "`docker exos manager install` saves the swarm's CA again"))

	// As the message says: installing again pins the swarm's CA, which did not change.
	res = e.install()
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Using the swarm's CA"))
	assert.Check(t, is.Equal(e.saved().CA, saved.CA), "the CA is never replaced silently")
	assert.Check(t, is.Equal(e.saved().Token, saved.Token))
	e.run("stack", "ls").Assert(t, icmd.Success)
}

// --insecure-http serves plain HTTP and every call says so; installing again without it
// switches back to HTTPS with the same CA and token. A certificate of the user's is
// checked before anything is written, served, pinned, and kept by an install that names
// none.
func TestInsecureHTTPWarnsAndOwnCertificatesServe(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	before := e.saved()

	res := e.install("--insecure-http")
	res.Assert(t, icmd.Success)
	warning := "serves plain HTTP (installed with --insecure-http): tokens cross the network in clear"
	assert.Check(t, is.Contains(res.Stdout(), "WARNING: the manager at http://"+e.sw.Nodes[0].IP+":7420 "+warning))
	assert.Check(t, is.Equal(e.saved().CA, ""), "no CA is pinned for plain HTTP")
	res = e.run("stack", "ls")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stderr(), warning), "every call warns")
	e.connect()
	assert.NilError(t, e.api.Health(context.Background()))
	e.waitAgentReports(t) // over plain HTTP too

	res = e.install()
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(e.saved().CA, before.CA), "back to HTTPS with the swarm's CA")
	assert.Check(t, is.Equal(e.saved().Token, before.Token), "the saved token keeps working")
	res = e.run("stack", "ls")
	res.Assert(t, icmd.Success)
	assert.Check(t, !strings.Contains(res.Stderr(), "WARNING"), res.Stderr())

	// A certificate whose key is another's is refused, and nothing changes.
	dir := t.TempDir()
	caPEM, certFile, keyFile := ownCertificate(t, dir, "a", e.sw.Nodes[0].IP)
	_, _, otherKey := ownCertificate(t, dir, "b", e.sw.Nodes[0].IP)
	version := e.managerVersion()
	res = e.install("--tls-cert", certFile, "--tls-key", otherKey)
	assert.Check(t, is.Equal(res.ExitCode, 1))
	assert.Check(t, is.Contains(res.Stderr(), "refusing --tls-cert "+certFile+": the certificate and key do not go together"))
	assert.Check(t, is.Equal(e.managerVersion(), version), "the service was not touched")
	assert.Check(t, is.Equal(e.saved().CA, before.CA))

	res = e.install("--tls-cert", certFile, "--tls-key", keyFile)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(e.saved().CA, string(caPEM)), "the user's CA is pinned")
	e.connect()
	assert.NilError(t, e.api.Health(context.Background()), "the manager serves the user's certificate")
	e.waitAgentReports(t) // verified against a name the user's certificate holds
	res = e.install()
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Keeping the certificate installed with --tls-cert"))
	assert.Check(t, is.Equal(e.saved().CA, string(caPEM)))
	e.run("stack", "ls").Assert(t, icmd.Success)
}

func (e *exos) managerVersion() swarm.Version {
	svc, _, err := e.engine.ServiceInspectWithRaw(context.Background(), "exos_manager", swarm.ServiceInspectOptions{})
	assert.NilError(e.t, err)
	return svc.Version
}

// fingerprint is the CA's SHA-256 fingerprint as openssl prints it, which is what the
// docs tell users to compare with.
func fingerprint(t *testing.T, caPEM string) string {
	res := icmd.RunCmd(icmd.Command("openssl", "x509", "-noout", "-fingerprint", "-sha256"), icmd.WithStdin(strings.NewReader(caPEM)))
	res.Assert(t, icmd.Success)
	_, fp, ok := strings.Cut(strings.TrimSpace(res.Stdout()), "=")
	assert.Assert(t, ok, res.Stdout())
	return fp
}

// ownCertificate writes a certificate for host from a CA of the test's (chain: the
// certificate, then the CA) and its key; it returns the CA's PEM and the two files.
func ownCertificate(t *testing.T, dir, name, host string) ([]byte, string, string) {
	caPEM, caKeyPEM, err := tlsconf.NewCA("corp CA "+name, time.Now())
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(caPEM, caKeyPEM)
	assert.NilError(t, err)
	cert, err := ca.Issue([]string{host}, time.Now())
	assert.NilError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	assert.NilError(t, err)
	certFile, keyFile := filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), caPEM...)
	assert.NilError(t, os.WriteFile(certFile, chain, 0o600))
	assert.NilError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	return caPEM, certFile, keyFile
}
