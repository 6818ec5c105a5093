package agent

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/api/types/volume"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeEngine answers like a node's Engine, and counts the calls that cost.
type fakeEngine struct {
	containers []container.Summary
	volumes    []*volume.Volume
	stats      string // one-shot stats JSON
	inspects   int
	lists      int
	statsCalls int
}

func (f *fakeEngine) Info(context.Context) (system.Info, error) {
	return system.Info{NCPU: 2, DockerRootDir: "/", MemTotal: 4 << 30, Swarm: swarm.Info{NodeID: "node1"}}, nil
}

func (f *fakeEngine) ContainerList(_ context.Context, o container.ListOptions) ([]container.Summary, error) {
	f.lists++
	if got := o.Filters.Get("label"); len(got) != 1 || got[0] != taskLabel {
		return nil, errors.New("not filtered by the task label")
	}
	return append([]container.Summary(nil), f.containers...), nil
}

func (f *fakeEngine) ContainerInspect(_ context.Context, id string) (container.InspectResponse, error) {
	f.inspects++
	return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{ID: id, RestartCount: 1}}, nil
}

func (f *fakeEngine) ContainerStatsOneShot(context.Context, string) (container.StatsResponseReader, error) {
	f.statsCalls++
	return container.StatsResponseReader{Body: io.NopCloser(strings.NewReader(f.stats))}, nil
}

func (f *fakeEngine) VolumeList(context.Context, volume.ListOptions) (volume.ListResponse, error) {
	return volume.ListResponse{Volumes: f.volumes}, nil
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// task is a container of a Swarm task, as the list shows it.
func task(id, status string, mounts ...container.MountPoint) container.Summary {
	return container.Summary{ID: id, Status: status, Mounts: mounts, Labels: map[string]string{
		taskLabel: "t-" + id, serviceIDLabel: "s1", serviceNameLabel: "shop_web", stackLabel: "shop",
	}}
}

// hostRoot is a node's / with cgroup v1 files for the containers given, and proc.
func hostRoot(t *testing.T, cpuNanos map[string]string) string {
	root := t.TempDir()
	write := func(path, data string) {
		assert.NilError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, path)), 0o755))
		assert.NilError(t, os.WriteFile(filepath.Join(root, path), []byte(data), 0o644))
	}
	for id, nanos := range cpuNanos {
		write("sys/fs/cgroup/cpuacct/harness-n1/"+id+"/cpuacct.usage", nanos)
		mem := "sys/fs/cgroup/memory/harness-n1/" + id + "/"
		write(mem+"memory.usage_in_bytes", "1000")
		write(mem+"memory.stat", "total_inactive_file 100\n")
		write(mem+"memory.limit_in_bytes", "4096")
		write(mem+"memory.oom_control", "oom_kill 0\n")
	}
	write("proc/loadavg", "1.00 0.50 0.25 1/1 1\n")
	write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 500 kB\n")
	write("var/lib/docker/volumes/data/_data/f", "12345")
	return root
}

func TestReport(t *testing.T) {
	root := hostRoot(t, map[string]string{"web1": "1000000000"})
	engine := &fakeEngine{
		containers: []container.Summary{
			task("web1", "Up 1 minute (healthy)", container.MountPoint{Type: mount.TypeVolume, Name: "data"}),
			task("other", "Up 2 seconds (health: starting)"), // its cgroup is elsewhere: asked of the Engine
		},
		volumes: []*volume.Volume{
			{Name: "data", Driver: "local", Mountpoint: "/var/lib/docker/volumes/data/_data"},
			{Name: "nfs", Driver: "nfs", Mountpoint: "/mnt/nfs"},
		},
		stats: `{"cpu_stats":{"cpu_usage":{"total_usage":2000000000}},"memory_stats":{"usage":5000,"limit":4294967296,"stats":{"total_inactive_file":1000}}}`,
	}
	now := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	a := New(Config{Engine: engine, HostRoot: root, Now: func() time.Time { return now }, VolumeEvery: time.Minute, Log: discard})
	first, err := a.Report(context.Background())
	assert.NilError(t, err)
	assert.Check(t, is.Equal(first.NodeID, "node1"))
	assert.Check(t, is.Equal(first.Node.Load1, 1.0))
	assert.Check(t, is.DeepEqual(first.Volumes, []api.VolumeSample{
		{Name: "data", Driver: "local", Size: 5, Containers: 1},
		{Name: "nfs", Driver: "nfs", Size: -1},
	}))

	// 5 s later web1 used 2.5 s of CPU, other 1 s.
	now = now.Add(5 * time.Second)
	assert.NilError(t, os.WriteFile(filepath.Join(root, "sys/fs/cgroup/cpuacct/harness-n1/web1/cpuacct.usage"), []byte("3500000000"), 0o644))
	engine.stats = strings.Replace(engine.stats, "2000000000", "3000000000", 1)
	second, err := a.Report(context.Background())
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(second.Containers, []api.ContainerSample{
		{ContainerID: "web1", TaskID: "t-web1", ServiceID: "s1", Service: "shop_web", Stack: "shop",
			CPUPercent: 50, MemoryUsage: 900, MemoryLimit: 4096, Restarts: 1, Health: "healthy"},
		{ContainerID: "other", TaskID: "t-other", ServiceID: "s1", Service: "shop_web", Stack: "shop",
			CPUPercent: 20, MemoryUsage: 4000, MemoryLimit: 0, Restarts: 1, Health: "starting"},
	}))
	assert.Check(t, is.Equal(engine.lists, 2), "one list per report")
	assert.Check(t, is.Equal(engine.inspects, 2), "one inspect per container, not per report")
	assert.Check(t, is.Equal(engine.statsCalls, 2), "Engine stats only for the container whose cgroup was not found")
}

func TestReportForgetsGoneContainers(t *testing.T) {
	root := hostRoot(t, map[string]string{"web1": "1"})
	engine := &fakeEngine{containers: []container.Summary{task("web1", "Up")}}
	a := New(Config{Engine: engine, HostRoot: root, Now: time.Now, Log: discard})
	_, err := a.Report(context.Background())
	assert.NilError(t, err)
	engine.containers = nil
	r, err := a.Report(context.Background())
	assert.NilError(t, err)
	assert.Check(t, is.Len(r.Containers, 0))
	assert.Check(t, r.Containers != nil, "[] on the wire, not null")
	assert.Check(t, is.Len(a.seen, 0))
	assert.Check(t, is.Len(a.cgroups.dirs, 0))
}

type outsideSwarm struct{ fakeEngine }

func (outsideSwarm) Info(context.Context) (system.Info, error) { return system.Info{}, nil }

func TestReportWithoutTheNodesFiles(t *testing.T) {
	root := hostRoot(t, map[string]string{"web1": "1"})
	assert.NilError(t, os.Remove(filepath.Join(root, "proc/loadavg")))
	var logs bytes.Buffer
	engine := &fakeEngine{containers: []container.Summary{task("web1", "Up")}}
	a := New(Config{Engine: engine, HostRoot: root, Now: time.Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for range 3 {
		r, err := a.Report(context.Background())
		assert.NilError(t, err)
		assert.Check(t, is.Len(r.Containers, 1), "the containers go all the same")
	}
	assert.Check(t, is.Equal(strings.Count(logs.String(), "cannot read the node"), 1), logs.String())
}

func TestReportOutsideSwarm(t *testing.T) {
	a := New(Config{Engine: &outsideSwarm{}, HostRoot: t.TempDir(), Now: time.Now, Log: discard})
	_, err := a.Report(context.Background())
	assert.Check(t, errors.Is(err, errNotInSwarm))
}

func TestHealth(t *testing.T) {
	for status, want := range map[string]string{
		"Up 3 minutes (healthy)":         "healthy",
		"Up 3 minutes (unhealthy)":       "unhealthy",
		"Up 1 second (health: starting)": "starting",
		"Up 3 minutes":                   "",
	} {
		assert.Check(t, is.Equal(health(status), want), status)
	}
}

func TestCPUPercent(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		prev, cur cpuMark
		want      float64
	}{
		{name: "half a core over 5 s", prev: cpuMark{1e9, t0}, cur: cpuMark{3.5e9, t0.Add(5 * time.Second)}, want: 50},
		{name: "two cores busy", prev: cpuMark{0, t0}, cur: cpuMark{10e9, t0.Add(5 * time.Second)}, want: 200},
		{name: "idle", prev: cpuMark{7, t0}, cur: cpuMark{7, t0.Add(time.Second)}, want: 0},
		{name: "first sight", prev: cpuMark{}, cur: cpuMark{5e9, t0}, want: 0},
		{name: "counter went back", prev: cpuMark{9e9, t0}, cur: cpuMark{1e9, t0.Add(time.Second)}, want: 0},
		{name: "no time passed", prev: cpuMark{1, t0}, cur: cpuMark{9, t0}, want: 0},
	} {
		assert.Check(t, is.Equal(cpuPercent(tc.prev, tc.cur), tc.want), tc.name)
	}
}

// TestReportListsOnlyWhenTheEventsSayChanged: while the forwarder follows the node's
// events, a report reuses the last container list until an event comes, the stream
// breaks or relistEvery passes.
func TestReportListsOnlyWhenTheEventsSayChanged(t *testing.T) {
	root := hostRoot(t, map[string]string{"web1": "1", "web2": "1"})
	engine := &fakeEngine{containers: []container.Summary{task("web1", "Up")}}
	now := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	a := New(Config{Engine: engine, HostRoot: root, Now: func() time.Time { return now }, Log: discard})
	for _, step := range []struct {
		what             string
		then             func()
		reports, lists   int
		containersAtLast int
	}{
		{"without the events followed, every report lists", func() {}, 2, 2, 1},
		{"the stream opened, nothing changed since the list", func() { a.FollowChanges(true) }, 2, 3, 1},
		{"web2 started", func() {
			engine.containers = append(engine.containers, task("web2", "Up"))
			a.FollowChanges(true)
		}, 1, 4, 2},
		{"relistEvery passed", func() { now = now.Add(relistEvery) }, 1, 5, 2},
		{"the stream broke: every report lists", func() { a.FollowChanges(false) }, 2, 7, 2},
	} {
		step.then()
		var r api.AgentReport
		for range step.reports {
			var err error
			r, err = a.Report(context.Background())
			assert.NilError(t, err)
		}
		assert.Check(t, is.Equal(engine.lists, step.lists), step.what)
		assert.Check(t, is.Len(r.Containers, step.containersAtLast), step.what)
	}
}

// TestReportReusesAnEmptyList: a node with no task container lists once, like any other.
func TestReportReusesAnEmptyList(t *testing.T) {
	engine := &fakeEngine{}
	a := New(Config{Engine: engine, HostRoot: hostRoot(t, nil), Now: time.Now, Log: discard})
	a.FollowChanges(true)
	for range 2 {
		r, err := a.Report(context.Background())
		assert.NilError(t, err)
		assert.Check(t, is.Len(r.Containers, 0))
	}
	assert.Check(t, is.Equal(engine.lists, 1))
}
