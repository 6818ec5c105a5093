package command

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/fastpath"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeStacksManager answers the two reads the fast path serves, and remembers the
// credentials it was sent.
type fakeStacksManager struct {
	mu     sync.Mutex
	status int
	auth   []string
}

func (f *fakeStacksManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		http.Error(w, `{"message":"token revoked"}`, status)
		return
	}
	switch r.URL.Path {
	case "/api/v1/stacks":
		_ = json.NewEncoder(w).Encode([]api.Stack{{Name: "web", Services: 2, Revision: 3, State: api.RevisionApplied}})
	case "/api/v1/stacks/web/containers":
		_ = json.NewEncoder(w).Encode([]api.Container{{ID: "w3uyxmbrnbxbdaxuyyxaezxhj", Name: "web_api.1"}})
	default:
		http.NotFound(w, r)
	}
}

// refuse makes every later answer status (0: answer again).
func (f *fakeStacksManager) refuse(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

func (f *fakeStacksManager) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auth...)
}

// TestFastPathServesWhatThePluginSaved: the files this package writes (the login file
// with its pinned CA, the endpoint cache) are what the launcher's fast path reads; it
// reaches the manager over TLS with the saved token, and serves nothing, writing
// nothing, when the manager refuses or cannot be verified.
func TestFastPathServesWhatThePluginSaved(t *testing.T) {
	fake := &fakeStacksManager{}
	srv, caPEM := tlsManagerWith(t, fake)
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "exos")
	assert.NilError(t, SaveToken(dir, "clu1", "exos_saved"))
	assert.NilError(t, SaveCA(dir, "clu1", caPEM))
	newEndpointCache(dir, "default", "unix:///run/n1.sock").save(cachedEndpoint{Swarm: "clu1",
		Endpoint: Endpoint{URL: srv.URL, Transport: TransportHTTPS, CAConfigID: "cfg1"}})
	getenv := func(k string) string {
		return map[string]string{"DOCKER_CONFIG": cfg, "DOCKER_HOST": "unix:///run/n1.sock"}[k]
	}
	serve := func(args ...string) (bool, string) {
		var out bytes.Buffer
		ok, err := fastpath.Serve(append([]string{"exos", "stack"}, args...), getenv, &out)
		assert.NilError(t, err)
		return ok, out.String()
	}

	ok, out := serve("ls", "--format", "{{.Name}} {{.Services}} {{.Revision}} {{.State}}")
	assert.Check(t, ok)
	assert.Check(t, is.Equal(out, "web 2 3 applied\n"))
	ok, out = serve("containers", "-q", "--no-trunc", "web")
	assert.Check(t, ok)
	assert.Check(t, is.Equal(out, "w3uyxmbrnbxbdaxuyyxaezxhj\n"))
	assert.Check(t, is.DeepEqual(fake.calls(), []string{"Bearer exos_saved", "Bearer exos_saved"}))

	fake.refuse(http.StatusUnauthorized)
	var stdout bytes.Buffer
	ok, err := fastpath.Serve([]string{"exos", "stack", "ls"}, getenv, &stdout)
	assert.Check(t, ok, "the manager answered: it is not asked again")
	assert.Check(t, errors.Is(err, api.ErrUnauthorized), "the error the full CLI prints: %v", err)
	assert.Check(t, is.ErrorContains(err, "token revoked"))
	assert.Check(t, is.Equal(stdout.String(), ""))
	assert.Check(t, is.Len(fake.calls(), 3))

	fake.refuse(0)
	assert.NilError(t, SaveCA(dir, "clu1", otherCA(t)))
	before := len(fake.calls())
	ok, out = serve("ls")
	assert.Check(t, !ok && out == "", "a manager the pinned CA does not vouch for")
	assert.Check(t, is.Len(fake.calls(), before), "the token is never sent to it")

	assert.NilError(t, SaveCA(dir, "clu1", caPEM))
	srv.Close()
	ok, out = serve("ls")
	assert.Check(t, !ok && out == "", "a manager that is not there any more")
}
