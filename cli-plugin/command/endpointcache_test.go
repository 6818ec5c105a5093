package command

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// countingEngine counts the Engine calls discovery makes.
type countingEngine struct {
	*fakeEngine
	calls atomic.Int32
}

func (c *countingEngine) Info(ctx context.Context) (system.Info, error) {
	c.calls.Add(1)
	return c.fakeEngine.Info(ctx)
}

func (c *countingEngine) ServiceInspectWithRaw(ctx context.Context, id string, o swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	c.calls.Add(1)
	return c.fakeEngine.ServiceInspectWithRaw(ctx, id, o)
}

// engineFor is a swarm clu1 whose manager publishes the port of server on 127.0.0.1.
func engineFor(t *testing.T, server *httptest.Server) *countingEngine {
	_, port, err := net.SplitHostPort(server.Listener.Addr().String())
	assert.NilError(t, err)
	published, err := strconv.Atoi(port)
	assert.NilError(t, err)
	task := runningTask("n1", swarm.PortConfig{TargetPort: ManagerPort, PublishedPort: uint32(published)})
	return &countingEngine{fakeEngine: &fakeEngine{info: managerInfo("clu1"), service: &swarm.Service{ID: "s"},
		tasks: []swarm.Task{task}, nodes: map[string]swarm.Node{"n1": {Status: swarm.NodeStatus{Addr: "127.0.0.1"}}}}}
}

// stacksServer answers the stack list to the saved token, and counts what it answered.
func stacksServer(t *testing.T, served *atomic.Int32) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer exos_saved" || r.URL.Path != "/api/v1/stacks" {
			http.Error(w, `{"error":"unexpected"}`, http.StatusBadRequest)
			return
		}
		served.Add(1)
		_, _ = w.Write([]byte("[]"))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestConnectRemembersTheManager(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	var servedA, servedB atomic.Int32
	a := stacksServer(t, &servedA)
	cache := newEndpointCache(dir, "default", "unix:///var/run/docker.sock")

	first := engineFor(t, a)
	m, err := connect(ctx, first, managerAddress{}, dir, cache)
	assert.NilError(t, err)
	_, err = m.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, first.calls.Load() > 0, "the first command finds the manager through the Engine")

	again := engineFor(t, a)
	m, err = connect(ctx, again, managerAddress{}, dir, cache)
	assert.NilError(t, err)
	_, err = m.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(again.calls.Load(), int32(0)), "a later command goes straight to the manager")
	assert.Check(t, is.Equal(servedA.Load(), int32(2)))

	// The manager moves: the cached address refuses connections; the command finds it
	// again, is answered there, and the next command goes there at once.
	b := stacksServer(t, &servedB)
	a.Close()
	moved := engineFor(t, b)
	m, err = connect(ctx, moved, managerAddress{}, dir, cache)
	assert.NilError(t, err)
	_, err = m.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(servedB.Load(), int32(1)))
	assert.Check(t, is.Equal(m.BaseURL(), b.URL), "the client says where it was answered")
	assert.Check(t, moved.calls.Load() > 0)

	after := engineFor(t, b)
	m, err = connect(ctx, after, managerAddress{}, dir, cache)
	assert.NilError(t, err)
	_, err = m.ListStacks(ctx)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(after.calls.Load(), int32(0)), "the new address was remembered")
}

func TestEndpointCacheIsPerDockerEndpoint(t *testing.T) {
	dir := t.TempDir()
	local := newEndpointCache(dir, "default", "unix:///var/run/docker.sock")
	remote := newEndpointCache(dir, "prod", "ssh://ops@prod-1")
	local.save(cachedEndpoint{Swarm: "clu1", Endpoint: Endpoint{URL: "https://10.0.0.1:7420"}})
	remote.save(cachedEndpoint{Swarm: "clu2", Endpoint: Endpoint{URL: "https://10.9.0.1:7420"}})

	got, ok := local.load()
	assert.Check(t, ok)
	assert.Check(t, is.Equal(got.Swarm, "clu1"))
	got, ok = remote.load()
	assert.Check(t, ok)
	assert.Check(t, is.Equal(got.Endpoint.URL, "https://10.9.0.1:7420"))
	_, ok = newEndpointCache(dir, "default", "tcp://other:2376").load()
	assert.Check(t, !ok, "DOCKER_HOST pointing elsewhere has no entry")
}

func TestForgetManager(t *testing.T) {
	dir := t.TempDir()
	local := newEndpointCache(dir, "default", "unix:///var/run/docker.sock")
	other := newEndpointCache(dir, "prod", "ssh://ops@prod-1")
	local.save(cachedEndpoint{Swarm: "clu1", Endpoint: Endpoint{URL: "http://10.0.0.1:7420"}})
	other.save(cachedEndpoint{Swarm: "clu2", Endpoint: Endpoint{URL: "https://10.9.0.1:7420"}})

	ForgetManager(dir, "clu1")
	_, ok := local.load()
	assert.Check(t, !ok, "install and uninstall make the next command find the manager again")
	_, ok = other.load()
	assert.Check(t, ok, "another swarm's entry stays")
}
