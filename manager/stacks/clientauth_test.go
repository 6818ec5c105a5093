package stacks

import (
	"bytes"
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const twoRegistriesCompose = `services:
  web:
    image: reg.example:5000/team/app:1
    command: sleep 3600
  side:
    image: exos/busybox:1
    command: sleep 3600
`

// The client's credentials (stack deploy --with-registry-auth) go to Swarm with the
// services of their registry host, and are kept nowhere by EXOS.
func TestClientRegistryAuthGoesToSwarmOnly(t *testing.T) {
	f := newFixture(t)
	req := deployReq(twoRegistriesCompose)
	req.RegistryAuth = map[string]string{"reg.example:5000": "cHJpdmF0ZS1hdXRo", "docker.io": "aHViLWF1dGg"}
	_, err := f.svc.Deploy(context.Background(), "shop", req, "admin", "")
	assert.NilError(t, err)

	assert.Check(t, is.Equal(f.engine.RegistryAuth["shop_web"], "cHJpdmF0ZS1hdXRo"))
	assert.Check(t, is.Equal(f.engine.RegistryAuth["shop_side"], "aHViLWF1dGg"), "exos/busybox is on docker.io")
	for _, c := range f.engine.Configs {
		for _, auth := range req.RegistryAuth {
			assert.Check(t, !bytes.Contains(c.Spec.Data, []byte(auth)), "config %s holds the client's auth", c.Spec.Name)
		}
	}

	// Without the flag, nothing is sent: Swarm keeps what the service has.
	f.engine.RegistryAuth = nil
	_, err = f.svc.Deploy(context.Background(), "shop", deployReq(twoRegistriesCompose+"    labels: [a=b]\n"), "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(f.engine.RegistryAuth["shop_side"], ""))
}
