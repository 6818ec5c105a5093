package registries

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
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
	tag, err := name.NewTag(addr + "/team/multi:1")
	assert.NilError(t, err)
	assert.NilError(t, remote.WriteIndex(tag, index, remote.WithTransport(registrytest.Transport(t, ca)),
		remote.WithAuth(authn.FromConfig(authn.AuthConfig{Username: registrytest.User, Password: password}))))
	indexDigest, err := index.Digest()
	assert.NilError(t, err)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	closed := l.Addr().String()
	l.Close()

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
		addr + "/team/gone:1@" + one.String():   addr + "/team/gone:1@" + one.String(),          // not even asked
		"busybox:1":                             "busybox:1",                                    // no known registry
		"unknown.example:5000/team/app:nothere": "unknown.example:5000/team/app:nothere",
	} {
		pinned, known, err := s.Resolve(ctx, image, "")
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
		{addr + "/team/app:1", "qa", api.ErrUnprocessable, "refused the credentials"},
		{closed + "/team/app:1", "", api.ErrBadGateway, "retry"},
		{"Bad:Ref::", "", api.ErrInvalid, "no image reference"},
	} {
		_, _, err := s.Resolve(ctx, tc.image, tc.env)
		assert.Check(t, is.ErrorIs(err, tc.kind), tc.image)
		assert.Check(t, is.ErrorContains(err, tc.msg), tc.image)
		if err != nil {
			assert.Check(t, !strings.Contains(err.Error(), password), "the error names the password: %v", err)
		}
	}
}
