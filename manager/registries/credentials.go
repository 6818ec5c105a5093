package registries

import (
	"fmt"
	"sort"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/registry"

	"github.com/exos-platform/exos/manager/api"
)

// dockerHubDomains are the names Docker Hub goes by: an image without a domain is
// docker.io's, and a registry added as index.docker.io is the same one.
var dockerHubDomains = []string{"docker.io", "index.docker.io", "registry-1.docker.io"}

// dockerHubServer is the server address docker login records for Docker Hub, and so the
// one `docker stack deploy --with-registry-auth` sends.
const dockerHubServer = "https://index.docker.io/v1/"

// For returns the known registry image is in, as a stack of environment env sees it:
// the environment's own registry for the image's domain wins over a global one; a
// registry of another environment is never used. ok is false for an image of no known
// registry. image must parse (reference.ParseNormalizedNamed).
func (s *Service) For(image, env string) (api.Registry, bool, error) {
	d, ok, err := s.registryOf(image, env)
	return d.Registry, ok, err
}

func (s *Service) registryOf(image, env string) (document, bool, error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return document{}, false, api.Errorf(api.ErrInvalid, "%q is no image reference: %v", image, err)
	}
	d, ok := s.match(reference.Domain(named), env)
	return d, ok, nil
}

// match finds the registry of domain for env; among several of the same rank, the first
// by name, so the choice never depends on map order.
func (s *Service) match(domain, env string) (document, bool) {
	s.mu.RLock()
	var candidates []document
	for _, d := range s.entries {
		if sameHost(d.URL, domain) && (d.Env == "" || d.Env == env) {
			candidates = append(candidates, d)
		}
	}
	s.mu.RUnlock()
	if len(candidates) == 0 {
		return document{}, false
	}
	sort.Slice(candidates, func(i, j int) bool {
		if (candidates[i].Env != "") != (candidates[j].Env != "") {
			return candidates[i].Env != ""
		}
		return candidates[i].Name < candidates[j].Name
	})
	return candidates[0], true
}

// sameHost says whether a registry's host[:port] is an image reference's domain. Host
// names are case-insensitive; a port is part of the host (reg:5000 is not reg).
func sameHost(registryURL, domain string) bool {
	if strings.EqualFold(registryURL, domain) {
		return true
	}
	return isDockerHub(registryURL) && isDockerHub(domain)
}

func isDockerHub(host string) bool {
	for _, h := range dockerHubDomains {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}

// EncodedAuth returns the X-Registry-Auth value that lets Swarm's nodes pull image, as
// `docker stack deploy --with-registry-auth` sends it: the base64url JSON of the known
// registry's username, password and server address. It is "" for an image of no known
// registry, or of one without credentials. The value carries the password in clear:
// it goes to the Engine API and nowhere else (never a log line, a record or an answer).
func (s *Service) EncodedAuth(image, env string) (string, error) {
	d, ok, err := s.registryOf(image, env)
	if err != nil || !ok || d.Username == "" {
		return "", err
	}
	auth, err := s.authenticator(d)
	if err != nil {
		return "", err
	}
	cfg, err := auth.Authorization()
	if err != nil {
		return "", fmt.Errorf("cannot read the credentials of registry %s: %w", d.Name, err)
	}
	server := d.URL
	if isDockerHub(d.URL) {
		server = dockerHubServer
	}
	return registry.EncodeAuthConfig(registry.AuthConfig{Username: cfg.Username, Password: cfg.Password, ServerAddress: server})
}
