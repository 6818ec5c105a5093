package registries

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const (
	browsePassword = "br0wse-Registry-pw"
	// envSecret is in the ENV of the test images: no answer may show it.
	envSecret = "env-value-n0t-for-answers"
)

var built = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// testImage is a random image of one layer with a config of a real build: platform,
// creation time, labels, entrypoint and an ENV with a secret.
func testImage(t testing.TB, arch string, created time.Time) v1.Image {
	t.Helper()
	img, err := random.Image(512, 1)
	assert.NilError(t, err)
	cfg, err := img.ConfigFile()
	assert.NilError(t, err)
	cfg.OS, cfg.Architecture, cfg.Created = "linux", arch, v1.Time{Time: created}
	cfg.Config = v1.Config{Labels: map[string]string{"org.opencontainers.image.source": "https://git.example.com/app"},
		Entrypoint: []string{"/app"}, Cmd: []string{"serve"}, WorkingDir: "/srv", User: "1000",
		Env:          []string{"PATH=/usr/bin", "API_TOKEN=" + envSecret},
		ExposedPorts: map[string]struct{}{"8080/tcp": {}, "443/tcp": {}}}
	img, err = mutate.ConfigFile(img, cfg)
	assert.NilError(t, err)
	return img
}

// pushIndex pushes a two-platform index with a build attestation beside the images.
func pushIndex(t testing.TB, addr, ca, ref string) v1.ImageIndex {
	t.Helper()
	attestation := testImage(t, "unknown", built)
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: testImage(t, "amd64", built), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: testImage(t, "arm64", built.Add(time.Hour)), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		mutate.IndexAddendum{Add: attestation, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"}}},
	)
	tag, err := name.NewTag(addr + "/" + ref)
	assert.NilError(t, err)
	auth := authn.FromConfig(authn.AuthConfig{Username: registrytest.User, Password: browsePassword})
	assert.NilError(t, remote.WriteIndex(tag, idx, remote.WithAuth(auth), remote.WithTransport(registrytest.Transport(t, ca))))
	return idx
}

// size is what a pull of img downloads: manifest, config and layers.
func size(t testing.TB, img v1.Image) int64 {
	t.Helper()
	m, err := img.Manifest()
	assert.NilError(t, err)
	n, err := img.Size()
	assert.NilError(t, err)
	n += m.Config.Size
	for _, l := range m.Layers {
		n += l.Size
	}
	return n
}

func newBrowseService(t *testing.T) (s *Service, addr, ca string) {
	t.Helper()
	addr, ca = registrytest.Start(t, browsePassword)
	s = newTestService(t, persist.New(swarmtest.NewEngine()))
	_, err := s.Add(context.Background(), api.RegistryAddRequest{Name: "ci", URL: addr, Username: registrytest.User, Password: browsePassword, CA: ca}, "alice", "")
	assert.NilError(t, err)
	return s, addr, ca
}

func TestBrowseARealRegistry(t *testing.T) {
	s, addr, ca := newBrowseService(t)
	ctx := context.Background()
	app := testImage(t, "amd64", built)
	appDigest := registrytest.Push(t, addr, ca, browsePassword, "app:1.0", app)
	registrytest.Push(t, addr, ca, browsePassword, "app:latest", app)
	registrytest.Push(t, addr, ca, browsePassword, "team/api:v2", testImage(t, "amd64", built))
	idx := pushIndex(t, addr, ca, "multi:1")

	repos, next, err := s.Repositories(ctx, "ci", api.BrowsePage{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(repos, []api.RegistryRepository{{Name: "app"}, {Name: "multi"}, {Name: "team/api"}}))
	assert.Check(t, is.Equal(next, ""))
	repos, next, err = s.Repositories(ctx, "ci", api.BrowsePage{Limit: 2})
	assert.NilError(t, err)
	assert.Check(t, is.Len(repos, 2))
	assert.Check(t, is.Equal(next, "multi"))
	repos, _, err = s.Repositories(ctx, "ci", api.BrowsePage{After: next, Limit: 2})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(repos, []api.RegistryRepository{{Name: "team/api"}}))

	tags, next, err := s.Tags(ctx, "ci", "app", api.BrowsePage{})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(next, ""))
	want := api.RegistryTag{Tag: "1.0", Digest: appDigest.String(), MediaType: "application/vnd.docker.distribution.manifest.v2+json",
		Platforms: []string{"linux/amd64"}, Size: size(t, app), Created: built}
	assert.Check(t, is.DeepEqual(tags, []api.RegistryTag{want, func() api.RegistryTag { w := want; w.Tag = "latest"; return w }()}))
	tags, next, err = s.Tags(ctx, "ci", "app", api.BrowsePage{Limit: 1})
	assert.NilError(t, err)
	assert.Check(t, is.Len(tags, 1))
	assert.Check(t, is.Equal(next, "1.0"))
	tags, next, err = s.Tags(ctx, "ci", "app", api.BrowsePage{After: "1.0", Limit: 1})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(tags[0].Tag, "latest"))
	assert.Check(t, is.Equal(next, ""))

	tags, _, err = s.Tags(ctx, "ci", "multi", api.BrowsePage{})
	assert.NilError(t, err)
	idxDigest, err := idx.Digest()
	assert.NilError(t, err)
	assert.Assert(t, is.Len(tags, 1))
	assert.Check(t, is.Equal(tags[0].Digest, idxDigest.String()))
	assert.Check(t, is.DeepEqual(tags[0].Platforms, []string{"linux/amd64", "linux/arm64/v8"}), "the attestation is no platform")
	assert.Check(t, is.Equal(tags[0].Created, built.Add(time.Hour)), "the newest image's")
	amd, err := idx.Image(mustChild(t, idx, 0))
	assert.NilError(t, err)
	arm, err := idx.Image(mustChild(t, idx, 1))
	assert.NilError(t, err)
	idxSize, err := idx.Size()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(tags[0].Size, idxSize+size(t, amd)+size(t, arm)))
}

func mustChild(t *testing.T, idx v1.ImageIndex, i int) v1.Hash {
	t.Helper()
	m, err := idx.IndexManifest()
	assert.NilError(t, err)
	return m.Manifests[i].Digest
}

func TestInspectARealImage(t *testing.T) {
	s, addr, ca := newBrowseService(t)
	ctx := context.Background()
	app := testImage(t, "amd64", built)
	digest := registrytest.Push(t, addr, ca, browsePassword, "team/api:latest", app)

	for _, ref := range []string{"team/api", "team/api:latest", "team/api@" + digest.String()} {
		img, err := s.Image(ctx, "ci", ref)
		assert.NilError(t, err, ref)
		assert.Check(t, is.Equal(img.Digest, digest.String()), ref)
		assert.Check(t, is.Equal(img.Repository, "team/api"), ref)
		assert.Check(t, is.DeepEqual(img.Platforms, []string{"linux/amd64"}), ref)
		assert.Check(t, is.Equal(img.Size, size(t, app)), ref)
		assert.Assert(t, is.Len(img.Images, 1), ref)
		p := img.Images[0]
		assert.Check(t, is.Len(p.Layers, 1))
		assert.Check(t, is.DeepEqual(p.EnvKeys, []string{"PATH", "API_TOKEN"}))
		assert.Check(t, is.DeepEqual(p.ExposedPorts, []string{"443/tcp", "8080/tcp"}))
		assert.Check(t, is.DeepEqual(p.Entrypoint, []string{"/app"}))
		assert.Check(t, is.Equal(p.Labels["org.opencontainers.image.source"], "https://git.example.com/app"))
		data, err := json.Marshal(img)
		assert.NilError(t, err)
		assert.Check(t, !strings.Contains(string(data), envSecret), "an ENV value is answered: %s", data)
	}
	img, err := s.Image(ctx, "ci", "team/api")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(img.Reference, addr+"/team/api:latest"))
	assert.Check(t, is.Equal(img.Tag, "latest"), "the tag latest when none is given")
	assert.Check(t, is.Equal(img.Registry, "ci"))
}

// TestBrowseErrors checks each failure's kind and message, and that none carries the
// password.
func TestBrowseErrors(t *testing.T) {
	s, addr, ca := newBrowseService(t)
	ctx := context.Background()
	registrytest.Push(t, addr, ca, browsePassword, "app:1.0", testImage(t, "amd64", built))
	for _, req := range []api.RegistryAddRequest{
		{Name: "wrong", URL: addr, Username: registrytest.User, Password: "not-the-" + browsePassword, CA: ca},
		{Name: "down", URL: "127.0.0.1:1", Username: registrytest.User, Password: browsePassword},
	} {
		_, err := s.Add(ctx, req, "alice", "")
		assert.NilError(t, err)
	}
	tags := func(reg, repo string, p api.BrowsePage) error { _, _, err := s.Tags(ctx, reg, repo, p); return err }
	image := func(reg, ref string) error { _, err := s.Image(ctx, reg, ref); return err }
	repos := func(reg string, p api.BrowsePage) error { _, _, err := s.Repositories(ctx, reg, p); return err }
	for _, tc := range []struct {
		what string
		err  error
		kind error
		msg  string
	}{
		{"unknown registry", tags("ghost", "app", api.BrowsePage{}), api.ErrNotFound, `registry "ghost" does not exist`},
		{"unknown repository", tags("ci", "nope", api.BrowsePage{}), api.ErrNotFound, `registry ci has no repository "nope"`},
		{"unknown tag", image("ci", "app:2.0"), api.ErrNotFound, "registry ci has no image app:2.0 (see `docker exos registry tags ci/app`)"},
		{"unknown repository's image", image("ci", "nope:1"), api.ErrNotFound, "registry ci has no image nope:1"},
		{"tag given to tags", tags("ci", "app:1.0", api.BrowsePage{}), api.ErrInvalid, "give the repository without a tag"},
		{"upper case", image("ci", "App:1.0"), api.ErrInvalid, `"App:1.0" is no image of registry ci`},
		{"empty reference", image("ci", ""), api.ErrInvalid, `"" is no image of registry ci`},
		{"host given", image("ci", addr+"/app:1.0"), api.ErrInvalid, "without the registry's host"},
		{"limit", repos("ci", api.BrowsePage{Limit: 1001}), api.ErrInvalid, "limit must be from 1 to 1000, got 1001"},
		{"wrong password", tags("wrong", "app", api.BrowsePage{}), api.ErrBadGateway, `refused the credentials of user "ci"`},
		{"unreachable", repos("down", api.BrowsePage{}), api.ErrBadGateway, "registry down: cannot log in to 127.0.0.1:1"},
		{"unreachable image", image("down", "app:1"), api.ErrBadGateway, "connection refused"},
	} {
		assert.Check(t, is.ErrorIs(tc.err, tc.kind), "%s: %v", tc.what, tc.err)
		assert.Check(t, is.ErrorContains(tc.err, tc.msg), tc.what)
		if tc.err != nil {
			assert.Check(t, !strings.Contains(tc.err.Error(), browsePassword), "%s: the error names the password: %v", tc.what, tc.err)
		}
	}
}
