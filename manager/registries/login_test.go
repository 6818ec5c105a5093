package registries

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestLoginToARealRegistry(t *testing.T) {
	const password = "s3cret-Registry-pw"
	addr, ca := registrytest.Start(t, password)
	otherCA, _, err := tlsconf.NewCA("another CA", time.Now())
	assert.NilError(t, err)
	ctx := context.Background()
	s := newTestService(t, persist.New(swarmtest.NewEngine()))
	for _, req := range []api.RegistryAddRequest{
		{Name: "good", URL: addr, Username: "ci", Password: password, CA: ca},
		{Name: "wrong", URL: addr, Username: "ci", Password: "not-the-" + password, CA: ca},
		{Name: "anonymous", URL: addr, CA: ca},
		{Name: "other-ca", URL: addr, Username: "ci", Password: password, CA: string(otherCA)},
		{Name: "insecure", URL: addr, Username: "ci", Password: password, Insecure: true},
	} {
		_, err := s.Add(ctx, req, "alice", "")
		assert.NilError(t, err)
	}
	for name, want := range map[string]string{
		"good":      "",
		"wrong":     `refused the credentials of user "ci"`,
		"anonymous": "requires credentials",
		"other-ca":  "not signed by a CA this registry trusts",
		"insecure":  "",
	} {
		res, err := s.TestLogin(ctx, name)
		assert.NilError(t, err)
		if want == "" {
			assert.Check(t, res.OK, "%s: %s", name, res.Error)
			continue
		}
		assert.Check(t, !res.OK, name)
		assert.Check(t, is.Contains(res.Error, want), name)
		assert.Check(t, !strings.Contains(res.Error, password), "%s: the error names the password: %s", name, res.Error)
	}
	_, err = s.TestLogin(ctx, "ghost")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}
