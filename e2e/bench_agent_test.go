//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times (100 on Linux).
const clockTicks = 100

// BenchmarkAgent measures exos_agent on a node running 50 task containers: its CPU in
// percent of one core over a window of reports (EXOS_AGENT_BENCH_SECONDS, default 60) and
// its RSS (targets: < 1% and < 30 MiB). The anchor, in the same run, is one
// `docker stats --no-stream` of the same node: its wall time, and the CPU it costs (the
// CLI and the node's dockerd, which does the reading). ratio is the agent's CPU per report
// over that of one docker stats.
func BenchmarkAgent(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	ctx := context.Background()
	replicas := uint64(50)
	_, err := e.engine.ServiceCreate(ctx, swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: "fifty"},
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
			Image: "exos/busybox:1", Command: []string{"sleep", "3600"}, Init: ptr(true)}},
		Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
	}, swarm.ServiceCreateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for runningTasks(b, e, "fifty") < 50 || runningTasks(b, e, "exos_agent") < 1 {
		if time.Now().After(deadline) {
			b.Fatal("50 containers and the agent are not running after 3 minutes")
		}
		time.Sleep(500 * time.Millisecond)
	}
	agentPID := agentProcess(b, e)
	window := 60 * time.Second
	if s, err := strconv.Atoi(os.Getenv("EXOS_AGENT_BENCH_SECONDS")); err == nil && s > 0 {
		window = time.Duration(s) * time.Second
	}
	time.Sleep(2 * time.Second) // past the agent's first inspects and cgroup walk
	engine := engineProcesses(b, e)
	var cpu, engineLoad, rss, peak float64
	for b.Loop() {
		before, engineBefore := cpuSeconds(b, agentPID), engineCPU(b, engine)
		time.Sleep(window)
		cpu = (cpuSeconds(b, agentPID) - before) / window.Seconds() * 100
		engineLoad = (engineCPU(b, engine) - engineBefore) / window.Seconds() * 100
		rss, peak = memoryMiB(b, agentPID)
	}
	statsWall, statsCPU := dockerStats(b, e)
	reports := window.Seconds() / 5
	perReport := cpu / 100 * window.Seconds() / reports
	b.ReportMetric(cpu, "agent-cpu-%")
	b.ReportMetric(rss, "agent-rss-MiB")
	b.ReportMetric(peak, "agent-peak-rss-MiB")
	b.ReportMetric(perReport*1000, "agent-report-cpu-ms")
	b.ReportMetric(engineLoad, "engine-cpu-%") // the Engine meanwhile: its own swarm work, and the agent's lists
	b.ReportMetric(statsWall.Seconds(), "stats-wall-s")
	b.ReportMetric(statsCPU*1000, "stats-cpu-ms")
	b.ReportMetric(perReport/statsCPU, "ratio")
	b.Logf("agent: %.2f%% of one core (target < 1%%), RSS %.1f MiB (peak %.1f, target < 30 MiB), %.1f ms of CPU a report; "+
		"the node's Engine meanwhile %.2f%%; docker stats --no-stream: %.2f s, %.0f ms of CPU (CLI + Engine); ratio %.3f",
		cpu, rss, peak, perReport*1000, engineLoad, statsWall.Seconds(), statsCPU*1000, perReport/statsCPU)
}

func ptr[T any](v T) *T { return &v }

// agentProcess is the host PID of the agent's process on node 1.
func agentProcess(b *testing.B, e *exos) int {
	list, err := e.engine.ContainerList(context.Background(), container.ListOptions{
		Filters: filters.NewArgs(filters.Arg("label", "com.docker.swarm.service.name=exos_agent"))})
	if err != nil || len(list) != 1 {
		b.Fatalf("no agent container on node 1: %v", err)
	}
	inspected, err := e.engine.ContainerInspect(context.Background(), list[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	return inspected.State.Pid
}

// cpuSeconds is the user and system CPU a process used so far.
func cpuSeconds(b *testing.B, pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	return statCPU(data)
}

// statCPU reads utime and stime (fields 14 and 15) of /proc/<pid>/stat, after the command
// name, which may hold spaces.
func statCPU(data []byte) float64 {
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / clockTicks
}

// memoryMiB is a process's resident set now and at its peak.
func memoryMiB(b *testing.B, pid int) (rss, peak float64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// dockerStats runs `docker stats --no-stream` against node 1: its wall time, and the CPU
// of the CLI and of the node's Engine meanwhile (dockerd asks containerd, whose shims read
// the cgroups).
func dockerStats(b *testing.B, e *exos) (time.Duration, float64) {
	engine := engineProcesses(b, e)
	cmd := exec.Command("docker", "-H", e.sw.Nodes[0].Host, "stats", "--no-stream")
	before := engineCPU(b, engine)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("docker stats: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "\n") - 1; n < 50 {
		b.Fatalf("docker stats showed %d containers, want 50 or more", n)
	}
	cli := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return wall, cli + engineCPU(b, engine) - before
}

// engineProcesses are node 1's dockerd, containerd and shims: every process whose command
// line names the node's exec root.
func engineProcesses(b *testing.B, e *exos) []int {
	root := fmt.Sprintf("/run/exos-testbed/%d/n1/", e.sw.ID)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		b.Fatal(err)
	}
	var pids []int
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil && strings.Contains(string(cmdline), root) {
			pids = append(pids, pid)
		}
	}
	if len(pids) < 2 {
		b.Fatalf("found %d processes of node 1's Engine", len(pids))
	}
	return pids
}

// engineCPU sums the CPU the processes used so far (one gone meanwhile counts 0).
func engineCPU(b *testing.B, pids []int) float64 {
	total := 0.0
	for _, pid := range pids {
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			total += statCPU(data)
		}
	}
	return total
}
