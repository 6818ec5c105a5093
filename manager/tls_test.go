package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

type fakeNodes struct {
	mu    sync.Mutex
	nodes []swarm.Node
}

func (f *fakeNodes) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.nodes), nil
}

func (f *fakeNodes) add(n swarm.Node) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nodes = append(f.nodes, n)
}

func managerNode(hostname, addr, raftAddr string) swarm.Node {
	n := swarm.Node{Spec: swarm.NodeSpec{Role: swarm.NodeRoleManager}}
	n.Description.Hostname, n.Status.Addr = hostname, addr
	if raftAddr != "" {
		n.ManagerStatus = &swarm.ManagerStatus{Addr: raftAddr}
	}
	return n
}

func TestManagerHosts(t *testing.T) {
	worker := swarm.Node{Spec: swarm.NodeSpec{Role: swarm.NodeRoleWorker}}
	worker.Description.Hostname, worker.Status.Addr = "node3", "10.0.0.7"
	got := managerHosts([]swarm.Node{
		managerNode("node1", "10.0.0.5", "10.0.0.5:2377"),
		managerNode("node2", "0.0.0.0", "10.0.0.6:2377"), // some engines report 0.0.0.0
		worker,
	})
	assert.Check(t, is.DeepEqual(got, []string{"localhost", "127.0.0.1", "::1", "node1", "10.0.0.5", "10.0.0.5", "node2", "10.0.0.6"}))
}

// writeCA makes a CA as install does and writes it where the secret and config would be.
func writeCA(t *testing.T) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	certPEM, keyPEM, err := tlsconf.NewCA("EXOS CA test", time.Now())
	assert.NilError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key")
	assert.NilError(t, os.WriteFile(certFile, certPEM, 0o644))
	assert.NilError(t, os.WriteFile(keyFile, keyPEM, 0o400))
	return certFile, keyFile, certPEM
}

func TestServerTLSNeedsAChoice(t *testing.T) {
	log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	_, err := serverTLS(context.Background(), &fakeNodes{}, tlsOptions{}, log)
	assert.ErrorIs(t, err, errNoTransport)
	cfg, err := serverTLS(context.Background(), &fakeNodes{}, tlsOptions{insecureHTTP: true}, log)
	assert.NilError(t, err)
	assert.Check(t, cfg == nil, "plain HTTP only when asked")
}

// TestServerTLSIssuesForTheManagerNodes serves with a certificate issued from the CA: a
// client pinning that CA connects by a node's address, and after a node joins the
// certificate is issued again for it. The log names hosts, never a key.
func TestServerTLSIssuesForTheManagerNodes(t *testing.T) {
	certFile, keyFile, caPEM := writeCA(t)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	nodes := &fakeNodes{nodes: []swarm.Node{managerNode("node1", "10.0.0.5", "")}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := tlsOptions{caCertFile: certFile, caKeyFile: keyFile, sans: []string{"exos.example.com"}, refresh: 10 * time.Millisecond}
	cfg, err := serverTLS(ctx, nodes, opts, log)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cfg.MinVersion, uint16(tls.VersionTLS12)))

	cert, err := cfg.GetCertificate(nil)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(tlsconf.Hosts(cert.Leaf), []string{"10.0.0.5", "127.0.0.1", "::1", "exos-manager", "exos.example.com", "localhost", "node1"}))
	assert.Check(t, is.Equal(get(t, cfg, caPEM), http.StatusOK))

	nodes.add(managerNode("node2", "10.0.0.6", ""))
	deadline := time.Now().Add(5 * time.Second)
	for {
		cert, _ = cfg.GetCertificate(nil)
		if cert.Leaf.VerifyHostname("10.0.0.6") == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	assert.Check(t, cert.Leaf.VerifyHostname("node2"), "re-issued for the new manager node")
	cancel()
	keyPEM, err := os.ReadFile(keyFile)
	assert.NilError(t, err)
	assert.Check(t, !strings.Contains(logs.String(), "PRIVATE KEY"))
	assert.Check(t, !strings.Contains(logs.String(), string(keyPEM[40:80])))
	assert.Check(t, is.Contains(logs.String(), "issued the TLS certificate"))
}

// get serves one request over TLS with cfg and asks it through a client pinning caPEM.
func get(t *testing.T, cfg *tls.Config, caPEM []byte) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(tls.NewListener(ln, cfg)) }()
	defer srv.Close()
	hc, err := api.HTTPClientWithCA(caPEM)
	assert.NilError(t, err)
	resp, err := hc.Get("https://" + ln.Addr().String() + "/")
	assert.NilError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// syncBuffer is a log the background refresh writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
