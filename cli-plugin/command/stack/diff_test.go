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

func fakeDiff(from, to int) api.StackDiff {
	return api.StackDiff{Stack: "shop", From: from, To: to,
		Files: []api.FileDiff{{Name: "docker-compose.yml", Diff: "--- docker-compose.yml (revision 2)\n+++ docker-compose.yml (revision 3)\n@@ -1,3 +1,3 @@\n services:\n   web:\n-    image: reg.example:5000/shop/web:1\n+    image: reg.example:5000/shop/web:2\n"}},
		Services: []api.ServiceDiff{
			{Service: "shop_web", Change: api.SpecChanged, Fields: []api.FieldChange{
				{Path: "TaskTemplate.ContainerSpec.Image", From: "reg.example:5000/shop/web:1@sha256:aaaa", To: "reg.example:5000/shop/web:2@sha256:bbbb"},
				{Path: "Labels.tier", From: "front"},
			}},
			{Service: "shop_cache", Change: api.SpecAdded, Fields: []api.FieldChange{{Path: "Name", To: "shop_cache"}}},
		}}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name, golden string
		args         []string
		from, to     int
		empty        bool
	}{
		{name: "default", args: []string{"shop"}, golden: "stack-diff.golden"},
		{name: "one revision", args: []string{"shop", "2"}, from: 2, golden: "stack-diff.golden"},
		{name: "two revisions", args: []string{"shop", "2", "3"}, from: 2, to: 3, golden: "stack-diff.golden"},
		{name: "json", args: []string{"--format", "json", "shop", "2", "3"}, from: 2, to: 3, golden: "stack-diff-json.golden"},
		{name: "template", args: []string{"--format", `{{range .Services}}{{.Service}} {{.Change}}{{"\n"}}{{end}}`, "shop"}, golden: "stack-diff-template.golden"},
		{name: "no changes", args: []string{"shop", "3", "3"}, from: 3, to: 3, empty: true, golden: "stack-diff-none.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked [2]int
			cli := test.NewFakeCli(&test.FakeManager{FakeStackImages: test.FakeStackImages{
				StackDiffFunc: func(_ context.Context, _ string, from, to int) (api.StackDiff, error) {
					asked = [2]int{from, to}
					if tc.empty {
						return api.StackDiff{Stack: "shop", From: 3, To: 3, Files: []api.FileDiff{}, Services: []api.ServiceDiff{}}, nil
					}
					return fakeDiff(2, 3), nil
				},
			}}, nil)
			cmd := newDiffCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(asked, [2]int{tc.from, tc.to}))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestDiffBadRevision(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{}, nil)
	cmd := newDiffCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"shop", "two"})
	assert.Error(t, cmd.Execute(), "\"two\" is no revision number: give numbers from `docker exos stack history shop`")
}
