package fastpath

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// The files read here are written by package command: its endpoint cache
// (endpointcache.go) and the login file of each swarm (token.go, pin.go). Their tests
// write them there and read them here (command's fastpath_test.go).
const (
	endpointsFile  = "endpoints.json"
	defaultContext = "default"
	defaultHost    = "unix:///var/run/docker.sock"
	// dialTimeout is shorter than the full CLI's for a cached address (2 s): when the
	// manager moved off a node that is down, the full CLI waits that long again before it
	// finds the manager elsewhere, and a connection that takes longer than this on a slow
	// network is still made by the full CLI.
	dialTimeout     = 500 * time.Millisecond
	dockerConfigEnv = "DOCKER_CONFIG"
)

// savedManager is a manager found before for the current Docker endpoint, with what
// authenticates this machine to it.
type savedManager struct {
	url        string
	serverName string
	token      string
	ca         []byte
}

// cachedEndpoint is command's cachedEndpoint, as much as is read here.
type cachedEndpoint struct {
	Swarm    string `json:"swarm"`
	Endpoint struct {
		URL        string
		ServerName string
	} `json:"endpoint"`
}

// login is command's savedToken, as much as is read here.
type login struct {
	Token string `json:"token"`
	Swarm string `json:"swarm"`
	CA    string `json:"ca"`
}

// userOverrides are what make the full CLI reach the manager otherwise than through
// the cache: a URL, a token or a CA of the user's.
var userOverrides = []string{"EXOS_MANAGER", "EXOS_TOKEN", "EXOS_CA_FILE"}

// findSavedManager finds, in the plugin's files, the manager that answered before for the
// Docker endpoint the environment names: only over HTTPS, with a pinned CA and a token.
func findSavedManager(getenv func(string) string) (savedManager, bool) {
	for _, env := range userOverrides {
		if getenv(env) != "" {
			return savedManager{}, false
		}
	}
	configDir, ok := dockerConfigDir(getenv)
	if !ok {
		return savedManager{}, false
	}
	key, ok := endpointKey(getenv, configDir)
	if !ok {
		return savedManager{}, false
	}
	exosDir := filepath.Join(configDir, "exos")
	var cache map[string]cachedEndpoint
	if !readJSON(filepath.Join(exosDir, endpointsFile), &cache) {
		return savedManager{}, false
	}
	hint := cache[key]
	var saved login
	if hint.Swarm == "" || !strings.HasPrefix(hint.Endpoint.URL, "https://") ||
		!readJSON(filepath.Join(exosDir, hint.Swarm+".json"), &saved) ||
		saved.Swarm != hint.Swarm || saved.Token == "" || saved.CA == "" {
		return savedManager{}, false
	}
	return savedManager{url: hint.Endpoint.URL, serverName: hint.Endpoint.ServerName, token: saved.Token, ca: []byte(saved.CA)}, true
}

// client talks to m as the full CLI does: its certificate must chain to the pinned CA.
func (m savedManager) client() (*api.Client, error) {
	hc, err := api.HTTPClientWithCA(m.ca)
	if err != nil {
		return nil, err
	}
	t := hc.Transport.(*http.Transport)
	t.TLSClientConfig.ServerName = m.serverName
	t.DialContext = (&net.Dialer{Timeout: dialTimeout}).DialContext
	return api.NewClient(m.url, m.token, hc), nil
}

// dockerConfigDir is docker/cli's config.Dir: DOCKER_CONFIG, else ~/.docker.
func dockerConfigDir(getenv func(string) string) (string, bool) {
	if dir := getenv(dockerConfigEnv); dir != "" {
		return dir, true
	}
	home, err := os.UserHomeDir()
	return filepath.Join(home, ".docker"), err == nil
}

// endpointKey is the key the endpoint cache files the current Docker endpoint under:
// its context and its host, resolved as docker/cli does (DOCKER_HOST, then
// DOCKER_CONTEXT, then the config's current context). A DOCKER_HOST that docker/cli
// would rewrite (a tcp:// host without a port) gives a key the cache does not have:
// the full CLI then serves the command.
func endpointKey(getenv func(string) string, configDir string) (string, bool) {
	if host := getenv("DOCKER_HOST"); host != "" {
		return defaultContext + "|" + host, true
	}
	name := getenv("DOCKER_CONTEXT")
	if name == "" {
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if _, err := os.Stat(filepath.Join(configDir, "config.json")); err == nil &&
			!readJSON(filepath.Join(configDir, "config.json"), &cfg) {
			return "", false
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == defaultContext {
		return defaultContext + "|" + defaultHost, true
	}
	var meta struct {
		Endpoints map[string]struct{ Host string }
	}
	sum := sha256.Sum256([]byte(name))
	path := filepath.Join(configDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	if !readJSON(path, &meta) || meta.Endpoints["docker"].Host == "" {
		return "", false
	}
	return name + "|" + meta.Endpoints["docker"].Host, true
}

func readJSON(path string, v any) bool {
	data, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(data, v) == nil
}
