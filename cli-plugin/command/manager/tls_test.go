package manager

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeObjects is a swarm's configs and secrets, filtered by name prefix and label as the
// Engine filters them, and its manager nodes.
type fakeObjects struct {
	configs map[string]swarm.Config
	secrets map[string]swarm.Secret
	nodes   []swarm.Node
	next    int
}

func newFakeObjects() *fakeObjects {
	return &fakeObjects{configs: map[string]swarm.Config{}, secrets: map[string]swarm.Secret{}}
}

func (f *fakeObjects) id() string { f.next++; return fmt.Sprintf("id%d", f.next) }

func matches(args interface{ Get(string) []string }, name string, labels map[string]string) bool {
	for _, n := range args.Get("name") {
		if !strings.HasPrefix(name, n) {
			return false
		}
	}
	for _, l := range args.Get("label") {
		k, v, _ := strings.Cut(l, "=")
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (f *fakeObjects) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	return f.nodes, nil
}

func (f *fakeObjects) ConfigList(_ context.Context, o swarm.ConfigListOptions) ([]swarm.Config, error) {
	var out []swarm.Config
	for _, c := range f.configs {
		if matches(o.Filters, c.Spec.Name, c.Spec.Labels) {
			c.Spec.Data = nil // as the Engine's list answers may
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeObjects) ConfigCreate(_ context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error) {
	id := f.id()
	f.configs[id] = swarm.Config{ID: id, Spec: spec, Meta: swarm.Meta{CreatedAt: time.Now().Add(time.Duration(f.next) * time.Second)}}
	return swarm.ConfigCreateResponse{ID: id}, nil
}

func (f *fakeObjects) ConfigInspectWithRaw(_ context.Context, id string) (swarm.Config, []byte, error) {
	c, ok := f.configs[id]
	if !ok {
		return c, nil, cerrdefs.ErrNotFound
	}
	return c, nil, nil
}

func (f *fakeObjects) ConfigRemove(_ context.Context, id string) error {
	delete(f.configs, id)
	return nil
}

func (f *fakeObjects) SecretList(_ context.Context, o swarm.SecretListOptions) ([]swarm.Secret, error) {
	var out []swarm.Secret
	for _, s := range f.secrets {
		if matches(o.Filters, s.Spec.Name, s.Spec.Labels) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *fakeObjects) SecretCreate(_ context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error) {
	id := f.id()
	f.secrets[id] = swarm.Secret{ID: id, Spec: spec}
	return swarm.SecretCreateResponse{ID: id}, nil
}

func (f *fakeObjects) SecretRemove(_ context.Context, id string) error {
	delete(f.secrets, id)
	return nil
}

func (f *fakeObjects) names() []string {
	var names []string
	for _, c := range f.configs {
		names = append(names, "config "+c.Spec.Name)
	}
	for _, s := range f.secrets {
		names = append(names, "secret "+s.Spec.Name)
	}
	return names
}

// installed is the service an install with t leaves behind.
func installed(t transport) *swarm.Service {
	spec := managerSpec(specOptions{image: "img:1", port: 7420, socketPath: dockerSocket, catalogKeyID: "key1", transport: t})
	return &swarm.Service{ID: "svc", Spec: spec}
}

func apply(t *testing.T, f *fakeObjects, current *swarm.Service, o tlsOptions) transport {
	t.Helper()
	plan, err := planTLS(context.Background(), &bytes.Buffer{}, f, current, o)
	assert.NilError(t, err)
	tr, err := plan.apply(context.Background(), &bytes.Buffer{}, f, "clu1")
	assert.NilError(t, err)
	return tr
}

func TestTheSwarmsCAIsMadeOnceAndReused(t *testing.T) {
	f := newFakeObjects()
	first := apply(t, f, nil, tlsOptions{sans: []string{"exos.example.com"}})
	assert.Check(t, first.newCA)
	assert.Check(t, is.Len(f.configs, 1))
	assert.Check(t, is.Len(f.secrets, 1))
	assert.Check(t, is.DeepEqual(first.args, []string{"--tls-ca-cert=" + command.CAPath, "--tls-ca-key=/run/secrets/exos-tls-ca-key", "--tls-san=exos.example.com"}))
	for _, s := range f.secrets {
		assert.Check(t, bytes.Contains(s.Spec.Data, []byte("PRIVATE KEY")), "the CA key is a secret")
	}

	again := apply(t, f, installed(first), tlsOptions{})
	assert.Check(t, !again.newCA)
	assert.Check(t, is.Equal(string(again.caPEM), string(first.caPEM)), "an install again keeps the CA")
	assert.Check(t, is.DeepEqual(again.configs, first.configs))
	assert.Check(t, is.DeepEqual(again.secrets, first.secrets))

	// Plain HTTP in between keeps the CA in the swarm; HTTPS again reuses it.
	plain := apply(t, f, installed(again), tlsOptions{insecureHTTP: true})
	assert.Check(t, plain.caPEM == nil && plain.scheme == command.TransportHTTP)
	removeStaleTLS(context.Background(), &bytes.Buffer{}, f, installed(plain).Spec, plain)
	back := apply(t, f, installed(plain), tlsOptions{})
	assert.Check(t, is.Equal(string(back.caPEM), string(first.caPEM)))
}

func TestANewCAOnlyWhenAskedAndTheOldOneGoes(t *testing.T) {
	f := newFakeObjects()
	first := apply(t, f, nil, tlsOptions{})
	for id := range f.secrets {
		delete(f.secrets, id) // the key is lost
	}
	plan, err := planTLS(context.Background(), &bytes.Buffer{}, f, installed(first), tlsOptions{})
	assert.NilError(t, err)
	_, err = plan.apply(context.Background(), &bytes.Buffer{}, f, "clu1")
	assert.Check(t, is.ErrorContains(err, "but not its key"))
	assert.Check(t, is.ErrorContains(err, "pass --tls-new-ca"))
	assert.Check(t, is.Len(f.configs, 1), "no CA is made silently")

	renewed := apply(t, f, installed(first), tlsOptions{newCA: true})
	assert.Check(t, renewed.newCA && string(renewed.caPEM) != string(first.caPEM))
	removeStaleTLS(context.Background(), &bytes.Buffer{}, f, installed(renewed).Spec, renewed)
	assert.Check(t, is.Len(f.configs, 1), "the old CA is removed: %v", f.names())
	for id := range f.configs {
		assert.Check(t, is.Equal(id, renewed.configs[0].ConfigID))
	}
}

func TestOwnCertificateIsStoredKeptAndReplaced(t *testing.T) {
	f := newFakeObjects()
	f.nodes = []swarm.Node{managerNodeAt("node1", "10.0.0.5")}
	dir := t.TempDir()
	caPEM, certFile, keyFile := ownFiles(t, dir, "a", []string{"10.0.0.5"})
	own := apply(t, f, nil, tlsOptions{certFile: certFile, keyFile: keyFile})
	assert.Check(t, is.Equal(string(own.caPEM), string(caPEM)), "the top of the chain is pinned")
	assert.Check(t, is.DeepEqual(own.args, []string{"--tls-cert=/run/secrets/exos-tls-cert", "--tls-key=/run/secrets/exos-tls-key"}))
	assert.Check(t, is.Equal(own.serverName, ""))
	assert.Check(t, is.Len(f.secrets, 2))

	plan, err := planTLS(context.Background(), &bytes.Buffer{}, f, installed(own), tlsOptions{sans: []string{"exos.example.com"}})
	assert.NilError(t, err)
	_, err = plan.apply(context.Background(), &bytes.Buffer{}, f, "clu1")
	assert.Check(t, is.ErrorContains(err, "--tls-san applies to a certificate the manager issues"), "a SAN is not ignored silently")

	kept := apply(t, f, installed(own), tlsOptions{})
	assert.Check(t, is.DeepEqual(kept.secrets, own.secrets), "an upgrade keeps the user's certificate")
	assert.Check(t, is.Equal(string(kept.caPEM), string(caPEM)))

	_, certFile2, keyFile2 := ownFiles(t, dir, "b", []string{"10.0.0.5"})
	replaced := apply(t, f, installed(kept), tlsOptions{certFile: certFile2, keyFile: keyFile2})
	removeStaleTLS(context.Background(), &bytes.Buffer{}, f, installed(replaced).Spec, replaced)
	assert.Check(t, is.Len(f.secrets, 2), "the replaced certificate is removed: %v", f.names())
	assert.Check(t, is.Len(f.configs, 1), "%v", f.names())
}

func TestOwnCertificateIsCheckedBeforeAnythingIsWritten(t *testing.T) {
	f := newFakeObjects()
	f.nodes = []swarm.Node{managerNodeAt("node1", "10.0.0.5")}
	dir := t.TempDir()
	_, certFile, _ := ownFiles(t, dir, "a", []string{"10.0.0.5"})
	_, _, otherKey := ownFiles(t, dir, "b", []string{"10.0.0.5"})
	_, err := planTLS(context.Background(), &bytes.Buffer{}, f, nil, tlsOptions{certFile: certFile, keyFile: otherKey})
	assert.Check(t, is.ErrorContains(err, "refusing --tls-cert "+certFile+": the certificate and key do not go together"))

	_, nameCert, nameKey := ownFiles(t, dir, "c", []string{"exos.example.com"})
	var out bytes.Buffer
	plan, err := planTLS(context.Background(), &out, f, nil, tlsOptions{certFile: nameCert, keyFile: nameKey})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(plan.own.serverName, "exos.example.com"), "a certificate for a DNS name is checked against it")
	assert.Check(t, is.Contains(out.String(), "the plugin will check it against exos.example.com"))

	_, ipCert, ipKey := ownFiles(t, dir, "d", []string{"192.0.2.1"})
	_, err = planTLS(context.Background(), &out, f, nil, tlsOptions{certFile: ipCert, keyFile: ipKey})
	assert.Check(t, is.ErrorContains(err, "it is valid for 192.0.2.1, neither a DNS name nor the address of a manager node (node1 (10.0.0.5))"))
	assert.Check(t, is.Len(f.names(), 0), "nothing was written")
}

func TestTLSOptionsThatMeanNothingAreRefused(t *testing.T) {
	for _, o := range []tlsOptions{
		{insecureHTTP: true, newCA: true},
		{insecureHTTP: true, certFile: "c", keyFile: "k"},
		{certFile: "c"},
		{caFile: "ca"},
		{certFile: "c", keyFile: "k", sans: []string{"x"}},
	} {
		assert.Check(t, o.check() != nil, "%+v", o)
	}
	assert.Check(t, tlsOptions{sans: []string{"x"}, newCA: true}.check())
}

func TestManagerSpecOverTLS(t *testing.T) {
	tr := caTransportForTest(t)
	spec := installed(tr).Spec
	assert.Check(t, is.Equal(spec.Labels[command.TransportLabel], command.TransportHTTPS))
	assert.Check(t, is.Equal(spec.Labels[tlsModeLabel], tlsModeCA))
	c := spec.TaskTemplate.ContainerSpec
	assert.Check(t, is.DeepEqual(c.Args, append([]string{"serve"}, tr.args...)))
	assert.Check(t, is.Len(c.Secrets, 3), "catalog key, agent key and CA key")
	assert.Check(t, is.Equal(c.Configs[0].File.Name, command.CAPath))
	ep, err := command.FindEndpoint(context.Background(), endpointEngine{svc: swarm.Service{ID: "svc", Spec: spec}})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(ep.URL, "https://10.0.0.5:7420"))
	assert.Check(t, is.Equal(ep.CAConfigID, c.Configs[0].ConfigID))
}

func caTransportForTest(t *testing.T) transport {
	return apply(t, newFakeObjects(), nil, tlsOptions{})
}

// endpointEngine runs the manager's one task on a node at 10.0.0.5.
type endpointEngine struct {
	command.EngineClient
	svc swarm.Service
}

func (e endpointEngine) ServiceInspectWithRaw(context.Context, string, swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	return e.svc, nil, nil
}

func (e endpointEngine) TaskList(context.Context, swarm.TaskListOptions) ([]swarm.Task, error) {
	return []swarm.Task{{NodeID: "n1", Status: swarm.TaskStatus{State: swarm.TaskStateRunning}}}, nil
}

func (e endpointEngine) NodeInspectWithRaw(context.Context, string) (swarm.Node, []byte, error) {
	return managerNodeAt("node1", "10.0.0.5"), nil, nil
}

func managerNodeAt(hostname, addr string) swarm.Node {
	n := swarm.Node{Spec: swarm.NodeSpec{Role: swarm.NodeRoleManager}}
	n.Description.Hostname, n.Status.Addr = hostname, addr
	return n
}

// ownFiles writes a CA-signed certificate for hosts (the chain: certificate then CA) and
// its key into dir, and returns the CA's PEM and the two files.
func ownFiles(t *testing.T, dir, name string, hosts []string) (caPEM []byte, certFile, keyFile string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	assert.NilError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "corp CA " + name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	assert.NilError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	assert.NilError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "exos"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	assert.NilError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	assert.NilError(t, err)
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), caPEM...)
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	assert.NilError(t, os.WriteFile(certFile, chain, 0o600))
	assert.NilError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	return caPEM, certFile, keyFile
}
