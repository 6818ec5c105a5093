package command

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// tlsManager serves /healthz over TLS with a certificate for 127.0.0.1 issued from a new
// CA, whose PEM it returns.
func tlsManager(t *testing.T) (*httptest.Server, []byte) {
	t.Helper()
	return tlsManagerWith(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
}

// tlsManagerWith is tlsManager answering with h.
func tlsManagerWith(t *testing.T, h http.Handler) (*httptest.Server, []byte) {
	t.Helper()
	certPEM, keyPEM, err := tlsconf.NewCA("EXOS CA test", time.Now())
	assert.NilError(t, err)
	ca, err := tlsconf.LoadCA(certPEM, keyPEM)
	assert.NilError(t, err)
	cert, err := ca.Issue([]string{"127.0.0.1"}, time.Now())
	assert.NilError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, certPEM
}

func otherCA(t *testing.T) []byte {
	t.Helper()
	certPEM, _, err := tlsconf.NewCA("EXOS CA other", time.Now())
	assert.NilError(t, err)
	return certPEM
}

func caConfigEngine(caPEM []byte) *fakeEngine {
	return &fakeEngine{info: managerInfo("clu1"), configs: map[string]swarm.Config{
		"cfg1": {ID: "cfg1", Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "exos-tls-ca-0123"}, Data: caPEM}},
	}}
}

func TestDialPinsTheSwarmsCAAtFirstUse(t *testing.T) {
	srv, caPEM := tlsManager(t)
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	ep := Endpoint{URL: srv.URL, Transport: TransportHTTPS, CAConfigID: "cfg1"}

	m, err := dial(context.Background(), caConfigEngine(caPEM), ep, "exos_saved", caPins{dir: dir, swarmID: "clu1"})
	assert.NilError(t, err)
	assert.NilError(t, m.Health(context.Background()))
	pinned, _ := LoadCA(dir, "clu1")
	assert.Check(t, is.Equal(string(pinned), string(caPEM)), "the swarm's CA is pinned in the login file")
	tr := m.Transport()
	assert.Check(t, tr.TLS && tr.Warning == "")
	assert.Check(t, is.Contains(tr.CASource, "saved for this swarm"))
	assert.Check(t, is.Len(strings.Split(tr.CAFingerprint, ":"), 32))
	assert.Check(t, is.DeepEqual(tr.Hosts, []string{"127.0.0.1"}), "the verified certificate is reported")
	token, err := LoadToken(dir, "clu1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_saved"), "pinning keeps the token")
}

func TestDialRefusesAManagerOutsideThePinnedCA(t *testing.T) {
	srv, caPEM := tlsManager(t)
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	assert.NilError(t, SaveCA(dir, "clu1", otherCA(t)))
	ep := Endpoint{URL: srv.URL, Transport: TransportHTTPS, CAConfigID: "cfg1"}

	// The swarm's config holds the server's real CA: the pin still wins.
	m, err := dial(context.Background(), caConfigEngine(caPEM), ep, "exos_saved", caPins{dir: dir, swarmID: "clu1"})
	assert.NilError(t, err)
	err = m.Health(context.Background())
	assert.Check(t, is.ErrorContains(err, "the EXOS manager's certificate is not signed by the CA saved for this swarm ("+TokenPath(dir, "clu1")+")"))
	assert.Check(t, is.ErrorContains(err, "refusing to talk to it"))
}

func TestDialCAFileWinsOverThePin(t *testing.T) {
	srv, caPEM := tlsManager(t)
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	assert.NilError(t, SaveCA(dir, "clu1", otherCA(t)))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	assert.NilError(t, os.WriteFile(caFile, caPEM, 0o600))

	m, err := dial(context.Background(), nil, Endpoint{URL: srv.URL}, "exos_x", caPins{file: caFile, dir: dir, swarmID: "clu1"})
	assert.NilError(t, err)
	assert.NilError(t, m.Health(context.Background()))
	assert.Check(t, is.Equal(m.Transport().CASource, "in EXOS_CA_FILE ("+caFile+")"))
}

func TestDialPlainHTTPWarns(t *testing.T) {
	m, err := dial(context.Background(), nil, Endpoint{URL: "http://10.0.0.9:7420", Transport: TransportHTTP}, "exos_x", caPins{})
	assert.NilError(t, err)
	tr := m.Transport()
	assert.Check(t, !tr.TLS)
	assert.Check(t, is.Contains(tr.Warning, "the manager at http://10.0.0.9:7420 serves plain HTTP (installed with --insecure-http): tokens cross the network in clear"))
}

func TestDialHTTPSWithoutACA(t *testing.T) {
	_, err := dial(context.Background(), caConfigEngine(nil), Endpoint{URL: "https://10.0.0.9:7420", Transport: TransportHTTPS},
		"exos_x", caPins{dir: t.TempDir(), swarmID: "clu1"})
	assert.Check(t, is.ErrorContains(err, "its service mounts no CA"))
}

func TestDialExplainsAPlainHTTPManagerReachedOverHTTPS(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer plain.Close()
	url := strings.Replace(plain.URL, "http://", "https://", 1)
	m, err := dial(context.Background(), caConfigEngine(otherCA(t)), Endpoint{URL: url, Transport: TransportHTTPS, CAConfigID: "cfg1"},
		"exos_x", caPins{dir: t.TempDir(), swarmID: "clu1"})
	assert.NilError(t, err)
	assert.Check(t, is.ErrorContains(m.Health(context.Background()), "answers plain HTTP, not HTTPS"))
}

func TestFindEndpointOverTLS(t *testing.T) {
	svc := &swarm.Service{ID: "svc1", Spec: swarm.ServiceSpec{
		Annotations: swarm.Annotations{Labels: map[string]string{TransportLabel: TransportHTTPS}},
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Configs: []*swarm.ConfigReference{
			{ConfigID: "cfg9", ConfigName: "exos-tls-ca-0123", File: &swarm.ConfigReferenceFileTarget{Name: CAPath}},
		}}},
	}}
	engine := &fakeEngine{service: svc, tasks: []swarm.Task{runningTask("n1")}, nodes: map[string]swarm.Node{"n1": {Status: swarm.NodeStatus{Addr: "10.0.0.9"}}}}
	ep, err := FindEndpoint(context.Background(), engine)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(ep, Endpoint{URL: "https://10.0.0.9:7420", Transport: TransportHTTPS, CAConfigID: "cfg9"}))
}

func TestFingerprintIsOpenSSLs(t *testing.T) {
	assert.Check(t, is.Equal(Fingerprint([]byte("x"))[:11], "2D:71:16:42"))
}
