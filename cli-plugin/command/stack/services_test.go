package stack

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func fakeServices() []api.Service {
	return []api.Service{
		{ID: "w8pqzj0x6kmy2c1vq7h3d4f5g", Name: "web_worker", Stack: "web", Image: "exos/busybox:1", Mode: "global", Desired: 3, Running: 2, Ports: []string{}},
		{ID: "a1b2c3d4e5f6g7h8i9j0k1l2m", Name: "web_api", Stack: "web", Env: "prod", Image: "registry.local/api:1.4", Mode: "replicated",
			Desired: 2, Running: 2, Ports: []string{"*:8080->80/tcp", "*:8443->443/tcp"}, Revision: 3},
	}
}

func TestServicesFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "stack-services.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "stack-services-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "stack-services-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} {{.Replicas}} {{.Ports}}"}, golden: "stack-services-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var asked string
			cli := test.NewFakeCli(&test.FakeManager{
				StackServicesFunc: func(_ context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error) {
					asked = name
					return fakeServices(), 7, nil
				},
			}, nil)
			cmd := newServicesCommand(cli)
			cmd.SetArgs(append(tc.args, "web"))
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(asked, "web"))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}
