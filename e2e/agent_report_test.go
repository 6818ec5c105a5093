//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// TestAgentReportContent runs the built agent on the host against node 1's Engine and
// the host's cgroups (cgroup v1, cgroupfs, the node's own --cgroup-parent), posting to
// a recorder: the report names the node and carries its task containers with their
// memory, and the node's memory and disk.
func TestAgentReportContent(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--wait", "shop").Assert(t, icmd.Success)
	reports := make(chan api.AgentReport, 10)
	recorder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var report api.AgentReport
		if r.Header.Get("Authorization") == "Bearer k1" && json.NewDecoder(r.Body).Decode(&report) == nil {
			reports <- report
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recorder.Close()
	keyFile := filepath.Join(t.TempDir(), "key")
	assert.NilError(t, os.WriteFile(keyFile, []byte("k1\n"), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(buildDir(t), "exos-manager"), "agent", "--manager", recorder.URL,
		"--key-file", keyFile, "--host-root", "/", "--interval", "500ms")
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+e.sw.Nodes[0].Host)
	var logs strings.Builder
	cmd.Stderr = &logs
	assert.NilError(t, cmd.Start())
	defer func() { cancel(); _ = cmd.Wait() }()

	var report api.AgentReport
	for range 2 { // the second has CPU over an interval
		select {
		case report = <-reports:
		case <-time.After(20 * time.Second):
			t.Fatalf("no report; agent log:\n%s", logs.String())
		}
	}
	info, err := e.engine.Info(context.Background())
	assert.NilError(t, err)
	assert.Check(t, is.Equal(report.NodeID, info.Swarm.NodeID))
	assert.Check(t, report.Node.MemoryTotal > 0 && report.Node.MemoryAvailable > 0, "%+v", report.Node)
	assert.Check(t, report.Node.DiskTotal > 0 && report.Node.DiskFree > 0, "%+v", report.Node)
	assert.Check(t, is.Equal(report.Node.CPUs, info.NCPU))
	tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{})
	assert.NilError(t, err)
	byID := map[string]swarm.Task{}
	for _, task := range tasks {
		byID[task.ID] = task
	}
	services := map[string]int{}
	for _, c := range report.Containers {
		services[c.Service]++
		_, known := byID[c.TaskID]
		assert.Check(t, known, "task %s of container %s", c.TaskID, c.ContainerID)
		assert.Check(t, c.MemoryUsage > 0, "%+v", c)
		assert.Check(t, c.CPUPercent >= 0 && c.CPUPercent < 200, "%+v", c)
	}
	assert.Check(t, is.DeepEqual(services, map[string]int{"shop_app": 3, "exos_manager": 1, "exos_agent": 1}))
	for _, c := range report.Containers {
		if c.Service == "shop_app" {
			assert.Check(t, is.Equal(c.Stack, "shop"))
		}
	}
	assert.Check(t, !strings.Contains(logs.String(), "level=WARN"), logs.String())
	assert.Check(t, !strings.Contains(logs.String(), "cgroup not found"), "every cgroup read from its files:\n%s", logs.String())
}
