package agent

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/exos-platform/exos/manager/api"
)

// readNode reads the node's load, memory and pressure from hostRoot/proc (not namespaced
// per container, so the host's numbers) and the disk of the Engine's data root.
func readNode(hostRoot, dataRoot string, cpus int) (api.NodeSample, error) {
	n := api.NodeSample{CPUs: cpus}
	proc := filepath.Join(hostRoot, "proc")
	data, err := os.ReadFile(filepath.Join(proc, "loadavg"))
	if err != nil {
		return n, err
	}
	if n.Load1, n.Load5, n.Load15, err = parseLoadavg(data); err != nil {
		return n, err
	}
	if data, err = os.ReadFile(filepath.Join(proc, "meminfo")); err != nil {
		return n, err
	}
	n.MemoryTotal, n.MemoryAvailable = parseMeminfo(data)
	// Without PSI (a kernel built without it, or booted with psi=0) pressure reads as 0.
	n.CPUPressure = readPressure(filepath.Join(proc, "pressure", "cpu"))
	n.MemoryPressure = readPressure(filepath.Join(proc, "pressure", "memory"))
	n.IOPressure = readPressure(filepath.Join(proc, "pressure", "io"))
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Join(hostRoot, dataRoot), &st); err != nil {
		return n, fmt.Errorf("failed to read the disk of the Engine's data root %s: %w", dataRoot, err)
	}
	n.DiskTotal, n.DiskFree = st.Blocks*uint64(st.Bsize), st.Bavail*uint64(st.Bsize)
	return n, nil
}

func parseLoadavg(data []byte) (l1, l5, l15 float64, err error) {
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return 0, 0, 0, fmt.Errorf("unexpected loadavg %q", data)
	}
	var errs [3]error
	l1, errs[0] = strconv.ParseFloat(f[0], 64)
	l5, errs[1] = strconv.ParseFloat(f[1], 64)
	l15, errs[2] = strconv.ParseFloat(f[2], 64)
	return l1, l5, l15, errors.Join(errs[:]...)
}

// parseMeminfo returns MemTotal and MemAvailable in bytes (the file says kB).
func parseMeminfo(data []byte) (total, available uint64) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		v, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "MemTotal:":
			total = v * 1024
		case "MemAvailable:":
			available = v * 1024
		}
	}
	return total, available
}

// readPressure returns the "some avg10" of a PSI file: the share of the last 10 s in
// which at least one task waited for the resource, in percent. A kernel without PSI has
// no such file, and one booted with psi=0 refuses to read it (EOPNOTSUPP): both are 0.
func readPressure(path string) float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return parsePressure(data)
}

func parsePressure(data []byte) float64 {
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "some" {
			continue
		}
		if v, ok := strings.CutPrefix(f[1], "avg10="); ok {
			p, _ := strconv.ParseFloat(v, 64)
			return p
		}
	}
	return 0
}
