//go:build e2e

package testbed

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// namesWithPrefix lists the entries of dir whose name starts with prefix.
func namesWithPrefix(t *testing.T, dir, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	assert.NilError(t, err)
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			found = append(found, e.Name())
		}
	}
	return found
}

// iptablesRules lists the filter-table rules carrying the comment.
func iptablesRules(t *testing.T, comment string) []string {
	t.Helper()
	out, err := exec.Command("iptables", "-S").CombinedOutput()
	assert.NilError(t, err, string(out))
	var found []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, comment) {
			found = append(found, line)
		}
	}
	return found
}

// mountsUnder lists mount points below any of the directory prefixes.
func mountsUnder(t *testing.T, prefixes ...string) []string {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	assert.NilError(t, err)
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		for _, p := range prefixes {
			if len(fields) > 4 && strings.HasPrefix(fields[4], p) {
				found = append(found, fields[4])
			}
		}
	}
	assert.NilError(t, sc.Err())
	return found
}

// cgroupDirs lists cgroup directories (any controller, nested up to 5 levels as under the
// memory controller's process_api/<id>/) whose name starts with prefix.
func cgroupDirs(t *testing.T, prefix string) []string {
	t.Helper()
	const root = "/sys/fs/cgroup"
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil // cgroups vanish while we walk
		}
		if strings.HasPrefix(d.Name(), prefix) {
			found = append(found, p)
			return fs.SkipDir
		}
		if strings.Count(strings.TrimPrefix(p, root), "/") >= 5 {
			return fs.SkipDir
		}
		return nil
	})
	assert.NilError(t, err)
	return found
}
