//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/e2e/engineproxy"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
)

// rig is the manager's deploy path, in process, driving a real swarm through an Engine
// proxy that counts calls and can fail a chosen write.
type rig struct {
	proxy   *engineproxy.Proxy
	engine  *client.Client // through the proxy
	direct  *client.Client // straight to node 1, for the test's own reads
	store   *state.Store
	stacks  *stacks.Service
	watcher *exswarm.Watcher
}

func newRig(t testing.TB, sw *testbed.Swarm) *rig {
	t.Helper()
	target := strings.TrimPrefix(sw.Nodes[0].Host, "unix://")
	p, err := engineproxy.Start(filepath.Join(t.TempDir(), "engine.sock"), target)
	assert.NilError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	engine, err := client.NewClientWithOpts(client.WithHost("unix://"+p.Socket), client.WithAPIVersionNegotiation())
	assert.NilError(t, err)
	store := state.New()
	log := slog.New(slog.DiscardHandler)
	return &rig{
		proxy: p, engine: engine, direct: sw.Client(t, 1), store: store,
		stacks:  stacks.New(store, persist.New(engine), exswarm.NewDeployer(engine), time.Now, log),
		watcher: exswarm.NewWatcher(sw.Client(t, 1), store, log),
	}
}

// deploy deploys the compose file (its configs' and secrets' files read beside it) as
// stack, with the index synced first, as the watcher keeps it.
func (r *rig) deploy(t testing.TB, stack, file string, prune bool) (api.DeployResult, error) {
	t.Helper()
	assert.NilError(t, r.watcher.Sync(context.Background()))
	return r.stacks.Deploy(context.Background(), stack, fileRequest(t, file, prune), "test", "")
}

// fileRequest reads a compose file and the files its configs and secrets name.
func fileRequest(t testing.TB, file string, prune bool) api.DeployRequest {
	t.Helper()
	content, err := os.ReadFile(file)
	assert.NilError(t, err)
	req := api.DeployRequest{ComposeFiles: []api.File{{Name: filepath.Base(file), Content: string(content)}}, Prune: prune}
	for _, name := range []string{"app.conf", "key.txt"} {
		if data, err := os.ReadFile(filepath.Join(filepath.Dir(file), name)); err == nil && strings.Contains(string(content), "./"+name) {
			req.Attachments = append(req.Attachments, api.NewFile("./"+name, data))
		}
	}
	return req
}

// swarmObjects is what a user sees of the swarm: every service, network, config and
// secret by name, with its spec, leaving out IDs, versions and EXOS's own records.
func swarmObjects(t *testing.T, c *client.Client) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	put := func(key string, v any) {
		data, err := json.Marshal(v)
		assert.NilError(t, err)
		out[key] = string(data)
	}
	services, err := c.ServiceList(ctx, swarm.ServiceListOptions{})
	assert.NilError(t, err)
	for _, s := range services {
		put("service "+s.Spec.Name, s.Spec)
	}
	networks, err := c.NetworkList(ctx, network.ListOptions{})
	assert.NilError(t, err)
	for _, n := range networks {
		if n.Scope == "swarm" {
			put("network "+n.Name, []any{n.Driver, n.Labels, n.Options, n.Internal, n.Attachable})
		}
	}
	configs, err := c.ConfigList(ctx, swarm.ConfigListOptions{})
	assert.NilError(t, err)
	for _, cfg := range configs {
		if cfg.Spec.Labels[persist.LabelKind] == "" {
			put("config "+cfg.Spec.Name, cfg.Spec)
		}
	}
	secrets, err := c.SecretList(ctx, swarm.SecretListOptions{})
	assert.NilError(t, err)
	for _, s := range secrets {
		put("secret "+s.Spec.Name, s.Spec)
	}
	return out
}
