package registries

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"

	"github.com/distribution/reference"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/exos-platform/exos/manager/api"
)

// platformsOf are the platforms of the manifest desc as the Engine's /distribution
// endpoint reads them for docker's client (api/server/router/distribution, the same in
// dockerd 20.10 and 28; TestPrivateRegistryDeployAndSetImage compares with it): for an
// index (OCI or Docker manifest list) each entry's platform in order, an entry without
// one as an empty platform, attestations included; for a Docker image manifest its
// config's os, architecture and variant, if it names an os or an architecture. An OCI
// image manifest, or anything else, has none: the Engine does not read those.
func platformsOf(desc *remote.Descriptor) ([]api.Platform, error) {
	switch desc.MediaType {
	case types.OCIImageIndex, types.DockerManifestList:
		index, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return nil, err
		}
		out := make([]api.Platform, 0, len(index.Manifests))
		for _, m := range index.Manifests {
			var p api.Platform
			if m.Platform != nil {
				p = api.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture, Variant: m.Platform.Variant}
			}
			out = append(out, p)
		}
		return out, nil
	case types.DockerManifestSchema2:
		img, err := desc.Image()
		if err != nil {
			return nil, err
		}
		config, err := img.RawConfigFile()
		if err != nil {
			return nil, err
		}
		return configPlatform(config), nil
	}
	return []api.Platform{}, nil
}

// configPlatform is the platform an image's config names, as the Engine reads it: none
// for a config that does not parse or names neither an os nor an architecture.
func configPlatform(config []byte) []api.Platform {
	var p api.Platform
	if err := json.Unmarshal(config, &p); err != nil || p.OS == "" && p.Architecture == "" {
		return []api.Platform{}
	}
	return []api.Platform{p}
}

// configError says why the config of a Docker image, which holds its platform, could not
// be read. The Engine then leaves the platforms out; EXOS fails the deploy instead, so
// that a deploy's spec never depends on a passing failure.
func configError(d document, ref reference.Named, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound {
		return api.Errorf(api.ErrUnprocessable, "registry %s (%s) has the manifest of %s but not its config: push the image again",
			d.Name, d.URL, reference.FamiliarString(ref))
	}
	return resolveError(d, ref, err)
}

// platformCache keeps the platforms read for each digest of each registry: what a digest
// names never changes, so a deploy hook's resolve and the set-image it then makes ask the
// registry once. The zero value is ready.
type platformCache struct {
	mu      sync.Mutex
	entries map[string][]api.Platform
}

// maxPlatformEntries bounds the cache; a full cache is emptied, which costs one lookup
// per digest.
const maxPlatformEntries = 1000

func platformKey(d document, canonical reference.Canonical) string {
	return d.Name + " " + reference.TrimNamed(canonical).String() + "@" + canonical.Digest().String()
}

func (c *platformCache) get(d document, canonical reference.Canonical) ([]api.Platform, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	platforms, ok := c.entries[platformKey(d, canonical)]
	return slices.Clone(platforms), ok
}

func (c *platformCache) keep(d document, canonical reference.Canonical, platforms []api.Platform) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxPlatformEntries {
		c.entries = map[string][]api.Platform{}
	}
	c.entries[platformKey(d, canonical)] = slices.Clone(platforms)
}
