package agent

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// noLimit: cgroup v1 writes "no limit" as the largest page-aligned int64.
const noLimit = 1 << 62

// readV1 reads a container's counters from its cgroup v1 cpuacct and memory directories.
func readV1(cpuDir, memDir string) (counters, error) {
	var n counters
	var err error
	if n.cpuNanos, err = readUint(filepath.Join(cpuDir, "cpuacct.usage")); err != nil {
		return n, err
	}
	usage, err := readUint(filepath.Join(memDir, "memory.usage_in_bytes"))
	if err != nil {
		return n, err
	}
	stat, err := readKeyed(filepath.Join(memDir, "memory.stat"))
	if err != nil {
		return n, err
	}
	n.memUsage = workingSet(usage, stat["total_inactive_file"])
	if n.memLimit, err = readUint(filepath.Join(memDir, "memory.limit_in_bytes")); err != nil {
		return n, err
	}
	if n.memLimit >= noLimit {
		n.memLimit = 0
	}
	// oom_kill is in memory.oom_control since Linux 4.13; older kernels only say under_oom.
	oom, err := readKeyed(filepath.Join(memDir, "memory.oom_control"))
	n.oomKills = oom["oom_kill"]
	return n, err
}

// readV2 reads a container's counters from its cgroup v2 directory.
func readV2(dir string) (counters, error) {
	var n counters
	cpu, err := readKeyed(filepath.Join(dir, "cpu.stat"))
	if err != nil {
		return n, err
	}
	n.cpuNanos = cpu["usage_usec"] * 1000
	usage, err := readUint(filepath.Join(dir, "memory.current"))
	if err != nil {
		return n, err
	}
	stat, err := readKeyed(filepath.Join(dir, "memory.stat"))
	if err != nil {
		return n, err
	}
	n.memUsage = workingSet(usage, stat["inactive_file"])
	if n.memLimit, err = readUint(filepath.Join(dir, "memory.max")); err != nil {
		return n, err
	}
	events, err := readKeyed(filepath.Join(dir, "memory.events"))
	n.oomKills = events["oom_kill"]
	return n, err
}

// workingSet is usage less the inactive page cache the kernel reclaims first: what
// docker stats shows, and what the OOM killer weighs.
func workingSet(usage, inactiveFile uint64) uint64 {
	if inactiveFile > usage {
		return 0
	}
	return usage - inactiveFile
}

// readUint reads a file of one number; "max" (cgroup v2 for no limit) is 0.
func readUint(path string) (uint64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return parseUint(data)
}

func parseUint(data []byte) (uint64, error) {
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return 0, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return v, nil
}

// readKeyed reads a flat keyed file ("key value" lines: memory.stat, cpu.stat,
// memory.events, memory.oom_control).
func readKeyed(path string) (map[string]uint64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseKeyed(data), nil
}

// parseKeyed skips lines that are not "key number": a newer kernel may add any.
func parseKeyed(data []byte) map[string]uint64 {
	values := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseUint(strings.TrimSpace(value), 10, 64); err == nil {
			values[key] = v
		}
	}
	return values
}
