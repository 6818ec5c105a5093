package stack

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

func fakeContainers() []api.Container {
	now := time.Now()
	return []api.Container{
		{ID: "t2aaaaaaaaaaaaaaaaaaaaaaa", Name: "web_api.1", Service: "web_api", Node: "node2", Image: "registry.local/api:1.3",
			DesiredState: "shutdown", State: "failed", Error: "task: non-zero exit (137): container killed", UpdatedAt: now.Add(-10 * time.Minute)},
		{ID: "t1aaaaaaaaaaaaaaaaaaaaaaa", Name: "web_api.1", Service: "web_api", Node: "node3", Image: "registry.local/api:1.4",
			DesiredState: "running", State: "running", Health: "healthy", Ports: []string{"8080->80/tcp"}, UpdatedAt: now.Add(-2 * time.Minute), Current: true},
		{ID: "t3aaaaaaaaaaaaaaaaaaaaaaa", Name: "web_worker.k2x", Service: "web_worker", Node: "node1", Image: "exos/busybox:1",
			DesiredState: "running", State: "preparing", UpdatedAt: now.Add(-5 * time.Second), Current: true},
	}
}

func TestContainersFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "stack-containers.golden"},
		{name: "no-trunc", args: []string{"--no-trunc"}, golden: "stack-containers-no-trunc.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "stack-containers-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "stack-containers-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} on {{.Node}}: {{.CurrentState}}"}, golden: "stack-containers-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				StackContainersFunc: func(context.Context, string, api.QueryOptions) ([]api.Container, uint64, error) {
					return fakeContainers(), 9, nil
				},
			}, nil)
			cmd := newContainersCommand(cli)
			cmd.SetArgs(append(tc.args, "web"))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}
