package engineproxy

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeDockerd answers every request with a small JSON body on a unix socket.
func fakeDockerd(t *testing.T) string {
	socket := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", socket)
	assert.NilError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Api-Version", "1.41")
		_, _ = w.Write([]byte(`[]`))
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return socket
}

func TestProxyCountsAndFailsTheChosenWrite(t *testing.T) {
	p, err := Start(filepath.Join(t.TempDir(), "proxy.sock"), fakeDockerd(t))
	assert.NilError(t, err)
	defer p.Close()
	c, err := client.NewClientWithOpts(client.WithHost("unix://"+p.Socket), client.WithVersion("1.41"))
	assert.NilError(t, err)
	ctx := context.Background()

	p.FailWrite(2)
	_, err = c.ServiceList(ctx, swarm.ServiceListOptions{})
	assert.NilError(t, err)
	assert.NilError(t, c.ServiceRemove(ctx, "a"))
	err = c.ServiceRemove(ctx, "b")
	assert.ErrorContains(t, err, "injected failure of DELETE /services/b")
	assert.NilError(t, c.ServiceRemove(ctx, "c"), "the failure happens once")

	calls := p.Calls()
	assert.Assert(t, is.Len(calls, 4))
	assert.Check(t, is.DeepEqual(calls[0], Call{Method: "GET", Path: "/services", Bytes: 2}))
	assert.Check(t, calls[2].Failed && calls[2].Write)
	p.Reset()
	assert.Check(t, is.Len(p.Calls(), 0))
}
