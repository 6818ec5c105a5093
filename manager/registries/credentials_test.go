package registries

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/registry"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

func TestTheRegistryOfAnImageForAnEnvironment(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	assert.NilError(t, s.store.UpsertEnvironments(&state.Environment{Name: "prod"}))
	for _, req := range []api.RegistryAddRequest{
		{Name: "global", URL: "reg.example:5000", Username: "g", Password: "global-pw"},
		{Name: "qa-own", URL: "reg.example:5000", Env: "qa", Username: "q", Password: "qa-pw"},
		{Name: "prod-only", URL: "prod.example", Env: "prod", Username: "p", Password: "prod-pw"},
		{Name: "hub", URL: "index.docker.io", Username: "h", Password: "hub-pw"},
		{Name: "plain", URL: "Other.Example"},
	} {
		_, err := s.Add(ctx, req, "admin", "")
		assert.NilError(t, err)
	}
	for _, tc := range []struct {
		image, env string
		want       string // registry name, "" for none
	}{
		{"reg.example:5000/app:1", "", "global"},
		{"reg.example:5000/app:1", "prod", "global"},
		{"reg.example:5000/app:1", "qa", "qa-own"}, // the environment's wins
		{"reg.example:5000/team/app@sha256:" + strings.Repeat("a", 64), "qa", "qa-own"},
		{"reg.example/app:1", "", ""},      // another port is another host
		{"reg.example:5001/app:1", "", ""}, // likewise
		{"prod.example/app", "prod", "prod-only"},
		{"prod.example/app", "qa", ""}, // another environment's registry is never used
		{"prod.example/app", "", ""},
		{"busybox:1", "", "hub"}, // no domain: docker.io
		{"docker.io/library/busybox", "qa", "hub"},
		{"other.example/x", "", "plain"}, // host names are case-insensitive
		{"localhost/app", "", ""},
	} {
		reg, ok, err := s.For(tc.image, tc.env)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(ok, tc.want != ""), "%s in %q", tc.image, tc.env)
		assert.Check(t, is.Equal(reg.Name, tc.want), "%s in %q", tc.image, tc.env)
	}
	_, _, err := s.For("Not/A/Valid:Ref:x", "")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
}

func TestEncodedAuthIsWhatDockerStackDeploySends(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	for _, req := range []api.RegistryAddRequest{
		{Name: "ci", URL: "reg.example:5000", Username: "jenkins", Password: "s3cret"},
		{Name: "hub", URL: "docker.io", Username: "me", Password: "hub-pw"},
		{Name: "anon", URL: "open.example"},
	} {
		_, err := s.Add(ctx, req, "admin", "")
		assert.NilError(t, err)
	}
	for image, want := range map[string]registry.AuthConfig{
		"reg.example:5000/app:1": {Username: "jenkins", Password: "s3cret", ServerAddress: "reg.example:5000"},
		"busybox":                {Username: "me", Password: "hub-pw", ServerAddress: "https://index.docker.io/v1/"},
	} {
		encoded, err := s.EncodedAuth(image, "")
		assert.NilError(t, err)
		// What docker/cli's command.RetrieveAuthTokenFromImage makes of the same login.
		native, err := registry.EncodeAuthConfig(want)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(encoded, native), image)
		got, err := registry.DecodeAuthConfig(encoded)
		assert.NilError(t, err)
		assert.Check(t, is.DeepEqual(*got, want), image)
	}
	for _, image := range []string{"open.example/app", "unknown.example/app", "reg.example:5001/app"} {
		encoded, err := s.EncodedAuth(image, "")
		assert.NilError(t, err)
		assert.Check(t, is.Equal(encoded, ""), image)
	}
}
