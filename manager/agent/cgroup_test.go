package agent

import (
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// The fixtures are the files a kernel shows: testdata/v1 as on these machines (cgroupfs,
// the daemon's --cgroup-parent nested in another cgroup, cpu and cpuacct apart),
// testdata/v2 as under systemd (system.slice/docker-<ID>.scope).
func TestCgroupV1(t *testing.T) {
	c := newCgroupFS("testdata/v1/sys/fs/cgroup")
	assert.Check(t, is.Equal(c.version(), "v1"))
	assert.Check(t, is.DeepEqual(c.locate([]string{"c1v1", "gone"}), []string{"gone"}))
	n, ok, err := c.read("c1v1")
	assert.NilError(t, err)
	assert.Check(t, ok)
	want := counters{
		cpuNanos: 1_500_000_000,
		memUsage: 73400320 - 10485760, // usage less total_inactive_file
		memLimit: 0,                   // the kernel's "no limit"
	}
	assert.Check(t, n == want, "%+v", n)
}

// TestCgroupV1Joined: most distributions mount cpu and cpuacct as one hierarchy,
// cpu,cpuacct, with cpuacct a link to it.
func TestCgroupV1Joined(t *testing.T) {
	root := t.TempDir()
	assert.NilError(t, os.CopyFS(root, os.DirFS("testdata/v1/sys/fs/cgroup")))
	assert.NilError(t, os.Rename(filepath.Join(root, "cpuacct"), filepath.Join(root, "cpu,cpuacct")))
	assert.NilError(t, os.Symlink("cpu,cpuacct", filepath.Join(root, "cpuacct")))
	c := newCgroupFS(root)
	assert.Check(t, is.Len(c.locate([]string{"c1v1"}), 0))
	n, ok, err := c.read("c1v1")
	assert.NilError(t, err)
	assert.Check(t, ok && n.cpuNanos == 1_500_000_000, "%+v", n)
}

func TestCgroupV2(t *testing.T) {
	c := newCgroupFS("testdata/v2/sys/fs/cgroup")
	assert.Check(t, is.Equal(c.version(), "v2"))
	assert.Check(t, is.Len(c.locate([]string{"c2v2"}), 0))
	n, ok, err := c.read("c2v2")
	assert.NilError(t, err)
	assert.Check(t, ok)
	want := counters{cpuNanos: 2_500_000_000, memUsage: 52428800 - 5242880, memLimit: 268435456, oomKills: 1}
	assert.Check(t, n == want, "%+v", n)
}

func TestCgroupNotLocatedIsNotRead(t *testing.T) {
	c := newCgroupFS("testdata/v2/sys/fs/cgroup")
	_, ok, err := c.read("c2v2")
	assert.NilError(t, err)
	assert.Check(t, !ok)
}

func TestCgroupGoneIsLocatedAgain(t *testing.T) {
	c := newCgroupFS("testdata/v2/sys/fs/cgroup")
	c.dirs["x"] = cgroupDirs{cpu: "testdata/nowhere", memory: "testdata/nowhere"}
	_, ok, err := c.read("x")
	assert.Check(t, !ok)
	assert.Check(t, err != nil)
	_, kept := c.dirs["x"]
	assert.Check(t, !kept, "read again after locate")
}

func TestParseUint(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		err  bool
	}{
		{in: "123\n", want: 123},
		{in: "max\n", want: 0},
		{in: "", err: true},
		{in: "-1", err: true},
	} {
		got, err := parseUint([]byte(tc.in))
		assert.Check(t, is.Equal(err != nil, tc.err), "%q", tc.in)
		assert.Check(t, is.Equal(got, tc.want), "%q", tc.in)
	}
}

func TestParseKeyed(t *testing.T) {
	got := parseKeyed([]byte("usage_usec 10\nbad\nsome_key notanumber\nnr_throttled 2\n\n"))
	assert.Check(t, is.DeepEqual(got, map[string]uint64{"usage_usec": 10, "nr_throttled": 2}))
}

func TestWorkingSet(t *testing.T) {
	assert.Check(t, is.Equal(workingSet(100, 30), uint64(70)))
	assert.Check(t, is.Equal(workingSet(10, 30), uint64(0)), "the counters are read apart: never below 0")
}
