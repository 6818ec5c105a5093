package listing

import (
	"bytes"
	"testing"
	"time"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func sampleStacks() []api.Stack {
	now := time.Now()
	return []api.Stack{
		{Name: "web10", Env: "prod", Services: 3, Revision: 12, State: api.RevisionApplied, UpdatedAt: now.Add(-2 * time.Hour), Drift: []api.Drift{
			{Service: "web10_api", Kind: api.DriftUpdated}, {Service: "web10_db", Kind: api.DriftRemoved},
		}},
		{Name: "native", Services: 1},
		{Name: "gone", Env: "qa", Revision: 4, State: api.StackRemoved, UpdatedAt: now.Add(-4 * time.Hour)},
		{Name: "cache", Env: "qa", Services: 1, Revision: 2, UpdatedAt: now.Add(-5 * time.Hour),
			Template: &api.TemplateSource{Catalog: "community", Template: "redis", Version: "7.2.4"}, UpgradeTo: "7.2.5"},
	}
}

func sampleContainers() []api.Container {
	now := time.Now()
	return []api.Container{
		{ID: "w3uyxmbrnbxbdaxuyyxaezxhj", Name: "web_api.1", Image: "registry.local/api:1.2@sha256:0123", Node: "node1",
			DesiredState: "running", State: "running", Health: "healthy", Ports: []string{"*:8080->80/tcp", "*:8443->443/tcp"},
			UpdatedAt: now.Add(-3 * time.Hour)},
		{ID: "q9qd5s1a2t9yozj8spw9pjk0f", Name: "web_api.1", Image: "registry.local/api:1.1", Node: "ノード二",
			DesiredState: "shutdown", State: "failed", Error: "task: non-zero exit (137): killed by the OOM killer", UpdatedAt: now.Add(-5 * time.Hour)},
		{ID: "a", Name: "web_db.1", Image: "mariadb:10.11", Node: "node3", DesiredState: "running", State: "starting",
			Error: "エラーが発生しました。コンテナを再起動しています", UpdatedAt: now.Add(-6 * time.Hour)},
	}
}

var formats = []listFormat{
	stackTableFormat, stackQuietFormat, containerTableFormat, containerQuietFormat,
	"table", "json", "{{json .}}", "{{.Name}} rev {{.Revision}} in {{.Env}}", "table {{.Name}}\t{{.Services}}",
	`table {{.Name | upper}}\t{{.ID}}`, "{{.Name}}\\t{{.Error}}", "  table  {{.Name}}  ", "{{join .Name \",\"}}",
	"table {{truncate .Name 3}}\t{{pad .Node 1 1}}", "{{.Nothing}}", "{{.Name", "",
}

// TestWriteIsDockersFormatter renders the same rows through docker/cli's formatter and
// through this package, in every kind of format: the output (or the failure) is the same.
func TestWriteIsDockersFormatter(t *testing.T) {
	lists := map[string]struct {
		titles header
		rows   []row
	}{
		"stacks": {stackTitles, stackRows(sampleStacks())}, "containers": {containerTitles, containerRows(sampleContainers(), true)},
		"containers --no-trunc": {containerTitles, containerRows(sampleContainers(), false)}, "none": {stackTitles, nil},
	}
	for name, list := range lists {
		for _, f := range formats {
			var ours, docker bytes.Buffer
			ourErr := listContext{out: &ours, format: f}.write(list.titles, list.rows)
			dockerCtx := formatter.Context{Output: &docker, Format: formatter.Format(f)}
			dockerErr := dockerCtx.Write(&formatter.HeaderContext{Header: formatter.SubHeaderContext(list.titles)},
				func(format func(formatter.SubContext) error) error {
					for _, r := range list.rows {
						if err := format(r); err != nil {
							return err
						}
					}
					return nil
				})
			assert.Check(t, is.Equal(ours.String(), docker.String()), "%s, format %q", name, f)
			assert.Check(t, is.Equal(ourErr == nil, dockerErr == nil), "%s, format %q: %v, docker: %v", name, f, ourErr, dockerErr)
		}
	}
}

func TestMarshalJSONIsDockers(t *testing.T) {
	for _, r := range append(stackRows(sampleStacks()), containerRows(sampleContainers(), true)...) {
		ours, err := marshalJSON(r)
		assert.NilError(t, err)
		docker, err := formatter.MarshalJSON(r)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(string(ours), string(docker)))
	}
}

func TestEllipsisIsDockers(t *testing.T) {
	for _, s := range []string{"short", "exactly thirty characters long", "a message longer than thirty characters",
		"エラーが発生しました。コンテナを再起動しています", "mixed ラテン and 日本語 text that is long", "é", "日"} {
		for _, n := range []int{0, 1, 2, 5, 30} {
			assert.Check(t, is.Equal(ellipsis(s, n), formatter.Ellipsis(s, n)), "%q cut to %d", s, n)
		}
	}
	for _, id := range []string{"", "abc", "w3uyxmbrnbxbdaxuyyxaezxhj", "sha256:0123456789abcdef0123"} {
		assert.Check(t, is.Equal(truncateID(id), formatter.TruncateID(id)))
	}
}

func TestWriteStacksSortsAndHidesRemoved(t *testing.T) {
	stacks := append(sampleStacks(), api.Stack{Name: "web2", Services: 1})
	var out bytes.Buffer
	assert.NilError(t, WriteStacks(&out, Options{Quiet: true}, stacks, false))
	assert.Check(t, is.Equal(out.String(), "cache\nnative\nweb2\nweb10\n"))
	out.Reset()
	assert.NilError(t, WriteStacks(&out, Options{Format: "{{.Name}}:{{.State}}"}, stacks, true))
	assert.Check(t, is.Equal(out.String(), "cache:-\ngone:removed\nnative:-\nweb2:-\nweb10:applied\n"))
	assert.Check(t, is.Equal(stacks[0].Name, "web10"), "the caller's slice is not reordered or filtered")
}

func TestWriteContainersNewestFirstInASlot(t *testing.T) {
	var out bytes.Buffer
	assert.NilError(t, WriteContainers(&out, Options{Format: "{{.ID}} {{.CurrentState}}", NoTrunc: true}, sampleContainers()))
	assert.Check(t, is.Equal(out.String(), "w3uyxmbrnbxbdaxuyyxaezxhj Running (healthy) 3 hours ago\n"+
		"q9qd5s1a2t9yozj8spw9pjk0f Failed 5 hours ago\na Starting 6 hours ago\n"))
}

func stackRows(stacks []api.Stack) []row {
	rows := make([]row, len(stacks))
	for i, s := range stacks {
		rows[i] = &stackRow{s: s}
	}
	return rows
}

func containerRows(containers []api.Container, trunc bool) []row {
	rows := make([]row, len(containers))
	for i, c := range containers {
		rows[i] = &containerRow{c: c, trunc: trunc}
	}
	return rows
}
