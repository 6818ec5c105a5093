package registries

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

func TestResolveAgainstARealRegistry(t *testing.T) {
	const password = "Resolve-s3cret-pw"
	addr, ca := registrytest.Start(t, password)
	ctx := context.Background()
	one := registrytest.PushRandom(t, addr, ca, password, "team/app:1", 512)
	index, err := random.Index(256, 1, 2)
	assert.NilError(t, err)
	indexDigest := registrytest.PushIndex(t, addr, ca, password, "team/multi:1", index)
	closed := closedAddress(t)

	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	for _, req := range []api.RegistryAddRequest{
		{Name: "ci", URL: addr, Username: registrytest.User, Password: password, CA: ca},
		{Name: "gone", URL: closed, Username: registrytest.User, Password: password, CA: ca},
	} {
		_, err := s.Add(ctx, req, "admin", "")
		assert.NilError(t, err)
	}

	for image, want := range map[string]string{
		addr + "/team/app:1":                    addr + "/team/app:1@" + one.String(),
		addr + "/team/multi:1":                  addr + "/team/multi:1@" + indexDigest.String(), // the index, not a platform's manifest
		addr + "/team/app@" + one.String():      addr + "/team/app@" + one.String(),             // kept as given
		addr + "/team/app:0@" + one.String():    addr + "/team/app:0@" + one.String(),           // the tag beside it is not asked
		"busybox:1":                             "busybox:1",                                    // no known registry
		"unknown.example:5000/team/app:nothere": "unknown.example:5000/team/app:nothere",
	} {
		pinned, _, known, err := s.Resolve(ctx, image, "")
		assert.NilError(t, err, image)
		assert.Check(t, is.Equal(pinned, want))
		assert.Check(t, is.Equal(known, !strings.HasPrefix(image, "busybox") && !strings.HasPrefix(image, "unknown")), image)
	}

	// A copy of the registry with the wrong password.
	_, err = s.Add(ctx, api.RegistryAddRequest{Name: "wrong", URL: addr, Env: "qa", Username: registrytest.User, Password: "not-the-" + password, CA: ca}, "admin", "")
	assert.NilError(t, err)
	for _, tc := range []struct {
		image, env string
		kind       error
		msg        string
	}{
		{addr + "/team/app:2", "", api.ErrUnprocessable, `has no tag "2" of ` + addr + "/team/app"},
		{addr + "/team/none:1", "", api.ErrUnprocessable, `has no tag "1"`},
		{addr + "/team/app@sha256:" + strings.Repeat("0", 64), "", api.ErrUnprocessable, "has no manifest sha256:000"},
		{addr + "/team/app:1", "qa", api.ErrUnprocessable, "refused the credentials"},
		{closed + "/team/app:1", "", api.ErrBadGateway, "retry"},
		// Its platforms are asked for, as docker's client asks: the registry must answer.
		{closed + "/team/app:1@" + one.String(), "", api.ErrBadGateway, "retry"},
		{"Bad:Ref::", "", api.ErrInvalid, "no image reference"},
	} {
		_, _, _, err := s.Resolve(ctx, tc.image, tc.env)
		assert.Check(t, is.ErrorIs(err, tc.kind), tc.image)
		assert.Check(t, is.ErrorContains(err, tc.msg), tc.image)
		if err != nil {
			assert.Check(t, !strings.Contains(err.Error(), password), "the error names the password: %v", err)
		}
	}
}

// Resolve gives the platforms the Engine's /distribution endpoint gives docker's client,
// for each kind of manifest (the e2e TestPrivateRegistryDeployAndSetImage checks the
// Engine agrees, on a real swarm).
func TestResolveReadsThePlatformsAsTheEngineDoes(t *testing.T) {
	const password = "Platforms-s3cret-pw"
	addr, ca := registrytest.Start(t, password)
	ctx := context.Background()
	amd64 := v1.Platform{OS: "linux", Architecture: "amd64"}
	armv7 := v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	registrytest.Push(t, addr, ca, password, "team/single:1", registrytest.PlatformImage(t, amd64))
	registrytest.Push(t, addr, ca, password, "team/armv7:1", registrytest.PlatformImage(t, armv7))
	registrytest.Push(t, addr, ca, password, "team/osonly:1", registrytest.PlatformImage(t, v1.Platform{OS: "windows"}))
	registrytest.PushRandom(t, addr, ca, password, "team/none:1", 256)
	oci := mutate.ConfigMediaType(mutate.MediaType(registrytest.PlatformImage(t, amd64), types.OCIManifestSchema1), types.OCIConfigJSON)
	registrytest.Push(t, addr, ca, password, "team/oci:1", oci)
	two := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, amd64), Descriptor: v1.Descriptor{Platform: &amd64}},
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, armv7), Descriptor: v1.Descriptor{Platform: &armv7}},
	)
	registrytest.PushIndex(t, addr, ca, password, "team/two:1", two)
	list := mutate.IndexMediaType(mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, armv7), Descriptor: v1.Descriptor{Platform: &armv7}},
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, amd64)}, // an entry without a platform
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, v1.Platform{}), Descriptor: v1.Descriptor{
			Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}, Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"}}},
	), types.DockerManifestList)
	listDigest := registrytest.PushIndex(t, addr, ca, password, "team/list:1", list)
	registrytest.PushIndex(t, addr, ca, password, "team/empty:1", empty.Index)

	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	_, err := s.Add(ctx, api.RegistryAddRequest{Name: "ci", URL: addr, Username: registrytest.User, Password: password, CA: ca}, "admin", "")
	assert.NilError(t, err)
	for _, tc := range []struct {
		repo string
		want []api.Platform
	}{
		{"team/single:1", []api.Platform{{OS: "linux", Architecture: "amd64"}}},
		{"team/armv7:1", []api.Platform{{OS: "linux", Architecture: "arm", Variant: "v7"}}},
		{"team/osonly:1", []api.Platform{{OS: "windows"}}},
		{"team/none:1", []api.Platform{}}, // its config names no platform
		{"team/oci:1", []api.Platform{}},  // the Engine does not read an OCI image's config
		{"team/two:1", []api.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm", Variant: "v7"}}},
		{"team/list:1", []api.Platform{{OS: "linux", Architecture: "arm", Variant: "v7"}, {}, {OS: "unknown", Architecture: "unknown"}}},
		{"team/list@" + listDigest.String(), []api.Platform{{OS: "linux", Architecture: "arm", Variant: "v7"}, {}, {OS: "unknown", Architecture: "unknown"}}},
		{"team/empty:1", []api.Platform{}},
	} {
		_, platforms, known, err := s.Resolve(ctx, addr+"/"+tc.repo, "")
		assert.NilError(t, err, tc.repo)
		assert.Check(t, known)
		assert.Check(t, is.DeepEqual(platforms, tc.want), tc.repo)
		assert.Check(t, platforms != nil, "%s: resolved, so recorded even without platforms", tc.repo)
	}
	_, platforms, known, err := s.Resolve(ctx, "busybox:1", "")
	assert.NilError(t, err)
	assert.Check(t, !known)
	assert.Check(t, is.Nil(platforms), "an image of no known registry is not asked")
}

// A digest's platforms are read once: a deploy hook resolves a tag, then sets the digest.
func TestResolveAsksForADigestOnce(t *testing.T) {
	const password = "Once-s3cret-pw"
	addr, ca := registrytest.Start(t, password)
	ctx := context.Background()
	registrytest.Push(t, addr, ca, password, "team/app:1", registrytest.PlatformImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}))
	other := registrytest.Push(t, addr, ca, password, "team/app:2", registrytest.PlatformImage(t, v1.Platform{OS: "linux", Architecture: "arm64"}))
	proxy := startProxy(t, addr)
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	_, err := s.Add(ctx, api.RegistryAddRequest{Name: "ci", URL: proxy.addr, Username: registrytest.User, Password: password, CA: ca}, "admin", "")
	assert.NilError(t, err)

	pinned, platforms, _, err := s.Resolve(ctx, proxy.addr+"/team/app:1", "")
	assert.NilError(t, err)
	proxy.stop() // the registry is out of reach from now on
	again, cached, _, err := s.Resolve(ctx, pinned, "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(again, pinned))
	assert.Check(t, is.DeepEqual(cached, platforms))
	assert.Check(t, is.DeepEqual(cached, []api.Platform{{OS: "linux", Architecture: "amd64"}}))
	cached[0].OS = "changed by the caller"
	_, cached, _, err = s.Resolve(ctx, pinned, "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cached[0].OS, "linux"), "a caller cannot change what is kept")

	_, _, _, err = s.Resolve(ctx, proxy.addr+"/team/app@"+other.String(), "")
	assert.Check(t, is.ErrorIs(err, api.ErrBadGateway), "another digest is asked for")
}

func TestConfigPlatformReadsAsTheEngine(t *testing.T) {
	for config, want := range map[string][]api.Platform{
		`{"os":"linux","architecture":"arm64","variant":"v8","os.version":"1"}`: {{OS: "linux", Architecture: "arm64", Variant: "v8"}},
		`{"architecture":"s390x"}`: {{Architecture: "s390x"}},
		`{"os":"windows"}`:         {{OS: "windows"}},
		`{"variant":"v7"}`:         {}, // neither an os nor an architecture
		`{"rootfs":{}}`:            {},
		`not json`:                 {},
	} {
		assert.Check(t, is.DeepEqual(configPlatform([]byte(config)), want), config)
	}
}

func closedAddress(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	addr := l.Addr().String()
	l.Close()
	return addr
}

// proxy forwards TCP connections to a registry until stopped; the registry's certificate,
// for 127.0.0.1, holds for it too.
type proxy struct {
	addr  string
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	p := &proxy{addr: l.Addr().String(), l: l}
	t.Cleanup(p.stop)
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return p
}

func (p *proxy) stop() {
	p.l.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}
