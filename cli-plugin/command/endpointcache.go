package command

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// endpointCache remembers, per Docker endpoint, the swarm it manages and where that
// swarm's manager answered, so that a command reaches the manager without asking the
// Engine first (its /info, the manager's service, its task and node: four calls, about
// 25 ms of a 10-service `stack ls`). An entry is only a hint: a call that cannot reach
// the manager there finds the manager again (rediscoveringTransport) and replaces it.
type endpointCache struct {
	path string
	// key names the Docker endpoint: its context and host, so that DOCKER_HOST, -H and
	// --context each have their own entry.
	key string
}

// cachedEndpoint is what the cache keeps of one Docker endpoint. Neither the token nor
// the CA is in it: they stay in the swarm's login file, where they are pinned.
type cachedEndpoint struct {
	Swarm    string   `json:"swarm"`
	Endpoint Endpoint `json:"endpoint"`
}

// endpointsFile is the cache's file in the token directory.
const endpointsFile = "endpoints.json"

func newEndpointCache(dir, context, host string) *endpointCache {
	return &endpointCache{path: filepath.Join(dir, endpointsFile), key: context + "|" + host}
}

func (c *endpointCache) entries() map[string]cachedEndpoint {
	entries := map[string]cachedEndpoint{}
	data, err := os.ReadFile(c.path)
	if err == nil && json.Unmarshal(data, &entries) != nil {
		return map[string]cachedEndpoint{} // a damaged cache is no cache: discovery rewrites it
	}
	return entries
}

// load returns the entry of this Docker endpoint.
func (c *endpointCache) load() (cachedEndpoint, bool) {
	e, ok := c.entries()[c.key]
	return e, ok && e.Swarm != "" && e.Endpoint.URL != ""
}

// save records where the manager answered, when that changed. The cache is a hint:
// failing to write it costs the next command a discovery, nothing else.
func (c *endpointCache) save(e cachedEndpoint) {
	entries := c.entries()
	if entries[c.key] == e {
		return
	}
	entries[c.key] = e
	data, err := json.Marshal(entries)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(c.path), 0o700) == nil {
		_ = writePrivate(filepath.Dir(c.path), c.path, data)
	}
}

// ForgetManager drops what the cache remembers of swarm clusterID's manager, from
// every Docker endpoint: `manager install` and `uninstall` change where and how it
// answers (an HTTPS manager asked over HTTP would answer an error, not fail to connect).
func ForgetManager(dir, clusterID string) {
	c := &endpointCache{path: filepath.Join(dir, endpointsFile)}
	entries := c.entries()
	for key, e := range entries {
		if e.Swarm == clusterID {
			delete(entries, key)
		}
	}
	if data, err := json.Marshal(entries); err == nil {
		if _, statErr := os.Stat(c.path); statErr == nil {
			_ = writePrivate(dir, c.path, data)
		}
	}
}
