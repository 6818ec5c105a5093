package agent

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// counters are what the agent reads of one container's cgroup: cumulative CPU time, and
// memory as the kernel accounts it at this moment.
type counters struct {
	cpuNanos uint64
	// memUsage is the working set: usage less the inactive page cache, as docker stats shows.
	memUsage uint64
	memLimit uint64 // 0: no limit
	oomKills uint64
}

// cgroupFS reads containers' counters from the cgroup filesystem mounted at root (the
// node's /sys/fs/cgroup). Reading a few small files costs far less than the Engine's
// /stats, which reads the same files and adds a JSON document per container.
type cgroupFS struct {
	root string
	v2   bool
	// dirs are located containers' cgroups: container ID to its directories.
	dirs map[string]cgroupDirs
}

// cgroupDirs are one container's cgroup directories; on cgroup v2 both are the same.
type cgroupDirs struct{ cpu, memory string }

// newCgroupFS detects the cgroup version at root: v2 has cgroup.controllers at the top,
// v1 (and the hybrid layout) has one directory per controller.
func newCgroupFS(root string) *cgroupFS {
	_, err := os.Stat(filepath.Join(root, "cgroup.controllers"))
	return &cgroupFS{root: root, v2: err == nil, dirs: map[string]cgroupDirs{}}
}

// version names the layout for the log.
func (c *cgroupFS) version() string {
	if c.v2 {
		return "v2"
	}
	return "v1"
}

// hierarchies are the trees to look for containers in, by controller.
func (c *cgroupFS) hierarchies() (cpu, memory string) {
	if c.v2 {
		return c.root, c.root
	}
	return filepath.Join(c.root, "cpuacct"), filepath.Join(c.root, "memory")
}

// locate finds the cgroups of the containers not located yet, with one walk of each
// hierarchy for all of them. The path depends on the cgroup driver and the daemon's
// --cgroup-parent, which the Engine API does not tell: cgroupfs names a container's
// directory after its ID, systemd "docker-<ID>.scope". It returns the IDs still not found.
func (c *cgroupFS) locate(ids []string) []string {
	want := map[string]bool{}
	for _, id := range ids {
		if _, ok := c.dirs[id]; !ok {
			want[id] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	cpuRoot, memRoot := c.hierarchies()
	cpu, mem := findDirs(cpuRoot, want), findDirs(memRoot, want)
	if c.v2 {
		mem = cpu
	}
	var missing []string
	for id := range want {
		if cpu[id] == "" || mem[id] == "" {
			missing = append(missing, id)
			continue
		}
		c.dirs[id] = cgroupDirs{cpu: cpu[id], memory: mem[id]}
	}
	return missing
}

// maxDepth bounds the walk: container cgroups sit a few levels down (system.slice, or
// the daemon's cgroup parent nested in another one's).
const maxDepth = 8

// findDirs walks root for directories named after the wanted container IDs.
func findDirs(root string, want map[string]bool) map[string]string {
	found := map[string]string{}
	// cgroup v1 often mounts cpu and cpuacct together, cpuacct being a link to cpu,cpuacct;
	// a walk does not follow links.
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil // a cgroup removed during the walk, or a file
		}
		id := strings.TrimSuffix(strings.TrimPrefix(d.Name(), "docker-"), ".scope")
		switch {
		case want[id]:
			found[id] = path
			if len(found) == len(want) {
				return fs.SkipAll
			}
			return fs.SkipDir
		case strings.Count(strings.TrimPrefix(path, root), "/") >= maxDepth:
			return fs.SkipDir
		}
		return nil
	})
	return found
}

// forget drops the containers that are gone.
func (c *cgroupFS) forget(alive map[string]bool) {
	for id := range c.dirs {
		if !alive[id] {
			delete(c.dirs, id)
		}
	}
}

// read returns a located container's counters; ok is false for one not located.
func (c *cgroupFS) read(id string) (counters, bool, error) {
	d, ok := c.dirs[id]
	if !ok {
		return counters{}, false, nil
	}
	var n counters
	var err error
	if c.v2 {
		n, err = readV2(d.cpu)
	} else {
		n, err = readV1(d.cpu, d.memory)
	}
	if err != nil {
		delete(c.dirs, id) // gone, or moved: locate it again next time
		return counters{}, false, fmt.Errorf("failed to read the cgroup of container %s: %w", id, err)
	}
	return n, true, nil
}
