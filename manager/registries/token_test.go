package registries

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestATokenAuthRegistry is a registry whose clients log in at its token server, as
// Harbor, GitLab and Docker Hub have them do: the login test, browsing and a deploy's
// resolving work through the token, and a wrong password is refused as at htpasswd.
func TestATokenAuthRegistry(t *testing.T) {
	r := registrytest.StartWith(t, registrytest.Options{Password: browsePassword, TokenAuth: true})
	ctx := context.Background()
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	_, err := s.Add(ctx, api.RegistryAddRequest{Name: "harbor", URL: r.Addr, Username: registrytest.User, Password: browsePassword, CA: r.CA}, "alice", "")
	assert.NilError(t, err)
	digest := registrytest.Push(t, r.Addr, r.CA, browsePassword, "team/api:1.0", testImage(t, "amd64", built))

	res, err := s.TestLogin(ctx, "harbor")
	assert.NilError(t, err)
	assert.Check(t, res.OK, res.Error)
	tags, _, err := s.Tags(ctx, "harbor", "team/api", api.BrowsePage{})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(tags, 1))
	assert.Check(t, is.Equal(tags[0].Digest, digest.String()))
	assert.Check(t, is.Equal(tags[0].Created, built))
	pinned, _, known, err := s.Resolve(ctx, r.Addr+"/team/api:1.0", "")
	assert.NilError(t, err)
	assert.Check(t, known)
	assert.Check(t, is.Equal(pinned, r.Addr+"/team/api:1.0@"+digest.String()))

	for _, req := range []api.RegistryAddRequest{
		{Name: "wrong", URL: r.Addr, Username: registrytest.User, Password: "not-the-" + browsePassword, CA: r.CA},
		{Name: "anonymous", URL: r.Addr, CA: r.CA},
	} {
		_, err := s.Add(ctx, req, "alice", "")
		assert.NilError(t, err)
	}
	for name, msg := range map[string]string{
		"wrong":     `refused the credentials of user "ci"`,
		"anonymous": "requires credentials: add the registry again with --username and --password-stdin",
	} {
		res, err := s.TestLogin(ctx, name)
		assert.NilError(t, err)
		assert.Check(t, !res.OK, name)
		assert.Check(t, is.Contains(res.Error, msg), name)
		assert.Check(t, !is.Contains(res.Error, browsePassword)().Success(), "%s: the error names the password: %s", name, res.Error)
	}
}
