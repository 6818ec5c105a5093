//go:build e2e

package e2e

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/e2e/engineproxy"
	"github.com/exos-platform/exos/e2e/testbed"
)

// BenchmarkIdleEngineTraffic measures what the installed manager asks of its Engine while
// nothing happens on the swarm: requests and bytes per minute through a proxy in front of
// the manager's Docker socket, and the manager's CPU, at 200 tasks (one node) and at
// 2,000 tasks (ten nodes). Most of a real swarm's tasks are history (Swarm keeps the
// shut-down tasks of every slot, five by default) and the index holds them all: a size
// runs at most EXOS_IDLE_RUNNING tasks (default 1,000; 2,000 running containerd shims
// exhaust a 2-core, 24 GiB machine: about 16 GiB, a load past 1,000, forks fail) and
// rolls its services until the rest is history, as a redeploy leaves it. EXOS_IDLE_TASKS
// picks the sizes (default "200,2000"). Target (issue 15): traffic at the larger size
// <= 1.1x the traffic at 200, manager CPU < 0.5% of a core.
func BenchmarkIdleEngineTraffic(b *testing.B) {
	sizes := cmp.Or(os.Getenv("EXOS_IDLE_TASKS"), "200,2000")
	maxRunning, err := strconv.Atoi(cmp.Or(os.Getenv("EXOS_IDLE_RUNNING"), "1000"))
	if err != nil || maxRunning < 200 || maxRunning%200 != 0 {
		b.Fatalf("EXOS_IDLE_RUNNING: %q is not a multiple of 200 tasks", os.Getenv("EXOS_IDLE_RUNNING"))
	}
	for _, size := range strings.Split(sizes, ",") {
		tasks, err := strconv.Atoi(size)
		running := min(tasks, maxRunning)
		if err != nil || tasks < 200 || tasks%200 != 0 || tasks%running != 0 {
			b.Fatalf("EXOS_IDLE_TASKS: %q is not a multiple of 200 tasks and of EXOS_IDLE_RUNNING (%d)", size, maxRunning)
		}
		b.Run(size, func(b *testing.B) { benchIdle(b, tasks, running) })
	}
}

func benchIdle(b *testing.B, tasks, running int) {
	nodes := max(1, tasks/200)
	dir := buildDir(b)
	sw := testbed.Start(b, testbed.Options{Nodes: nodes, Images: []string{testbed.BusyboxImage(b), filepath.Join(dir, "images", "exos-manager.tar")}})
	node1 := strings.TrimPrefix(sw.Nodes[0].Host, "unix://")
	proxy, err := engineproxy.Start(filepath.Join(filepath.Dir(node1), "idle-proxy.sock"), node1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = proxy.Close() })
	e := &exos{t: b, sw: sw, engine: sw.Client(b, 1), dockerConfig: pluginConfig(b, dir)}
	e.must(b, e.run("manager", "install", "--image", managerImage(), "--docker-socket", proxy.Socket, "--agent-docker-socket", agentSocket(sw)))
	e.connect()
	// One stack per 200 tasks: a stack's default overlay network is a /24, whose
	// addresses Swarm hands to tasks (beyond 254 they stay "new").
	file := filepath.Join(b.TempDir(), "idle.yml")
	if err := os.WriteFile(file, []byte(benchStack(20, 10)), 0o644); err != nil {
		b.Fatal(err)
	}
	// One stack at a time: 1,000 containers starting at once on ten nodes of a 2-core
	// machine put its load past 600 and leave it 1 GiB of memory.
	deadline := time.Now().Add(20 * time.Minute)
	for i := range running / 200 {
		e.must(b, e.docker("stack", "deploy", "--resolve-image", "never", "-c", file, fmt.Sprintf("idle%d", i)))
		for !e.converged(b, fmt.Sprintf("idle%d", i), 20) {
			if time.Now().After(deadline) {
				b.Fatalf("the %d tasks did not all run within 20 minutes", running)
			}
			time.Sleep(2 * time.Second)
		}
	}
	for range tasks/running - 1 {
		for i := range running / 200 {
			rollStack(b, e.engine, fmt.Sprintf("idle%d", i))
		}
	}
	held := awaitIdleTasks(b, e.engine, tasks, running)
	time.Sleep(35 * time.Second) // past the manager's fast polling after the deploy's events
	pid := e.managerPID(b)
	var calls, bytes, cpu float64
	for b.Loop() {
		proxy.Reset()
		before, start := cpuSeconds(b, pid), time.Now()
		time.Sleep(time.Minute)
		cpu += (cpuSeconds(b, pid) - before) / time.Since(start).Seconds() * 100
		n, size := tally(proxy.Calls())
		calls, bytes = calls+n, bytes+size
	}
	rounds := float64(b.N)
	b.ReportMetric(float64(held), "tasks")
	b.ReportMetric(float64(running), "running-tasks")
	b.ReportMetric(calls/rounds, "requests/min")
	b.ReportMetric(bytes/rounds/1024, "KiB/min")
	b.ReportMetric(cpu/rounds, "manager-cpu-%")
}

// rollStack forces a rolling update of every service of stack, as a redeploy does, and
// waits until it is done: each slot's task is shut down and kept as history beside its
// new one. One stack at a time, for the load (as the deploy).
func rollStack(b *testing.B, engine *client.Client, stack string) {
	ctx := context.Background()
	inStack := func(ns string) bool { return ns == stack }
	for _, svc := range idleServices(b, engine, inStack) {
		spec := svc.Spec
		spec.TaskTemplate.ForceUpdate++
		if _, err := engine.ServiceUpdate(ctx, svc.ID, svc.Version, spec, swarm.ServiceUpdateOptions{}); err != nil {
			b.Fatalf("rolling service %s: %v", spec.Name, err)
		}
	}
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(2 * time.Second) {
		rolling := 0
		for _, svc := range idleServices(b, engine, inStack) {
			if u := svc.UpdateStatus; u == nil || u.State != swarm.UpdateStateCompleted {
				rolling++
			}
		}
		if rolling == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("after 10 minutes %d services of stack %s are still rolling", rolling, stack)
		}
	}
}

// awaitIdleTasks waits until the idle stacks hold tasks tasks or more (a node that missed
// its heartbeats under the load leaves a rescheduled task's history too), running of them
// running, and no update is still rolling, and returns how many they hold.
func awaitIdleTasks(b *testing.B, engine *client.Client, tasks, running int) int {
	ctx := context.Background()
	for deadline := time.Now().Add(20 * time.Minute); ; time.Sleep(5 * time.Second) {
		services := idleServices(b, engine, func(ns string) bool { return strings.HasPrefix(ns, "idle") })
		ids, rolling := map[string]bool{}, 0
		for _, svc := range services {
			ids[svc.ID] = true
			if u := svc.UpdateStatus; u != nil && u.State != swarm.UpdateStateCompleted {
				rolling++
			}
		}
		list, err := engine.TaskList(ctx, swarm.TaskListOptions{})
		if err != nil {
			b.Fatal(err)
		}
		total, up := 0, 0
		for _, t := range list {
			if !ids[t.ServiceID] {
				continue
			}
			total++
			if t.Status.State == swarm.TaskStateRunning && t.DesiredState == swarm.TaskStateRunning {
				up++
			}
		}
		if total >= tasks && up == running && rolling == 0 {
			return total
		}
		if time.Now().After(deadline) {
			b.Fatalf("after 20 minutes the idle stacks hold %d tasks (%d running, %d services rolling), not %d (%d running)", total, up, rolling, tasks, running)
		}
	}
}

// idleServices are the services whose stack matches.
func idleServices(b *testing.B, engine *client.Client, match func(stack string) bool) []swarm.Service {
	list, err := engine.ServiceList(context.Background(), swarm.ServiceListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var out []swarm.Service
	for _, svc := range list {
		if match(svc.Spec.Labels["com.docker.stack.namespace"]) {
			out = append(out, svc)
		}
	}
	return out
}

// managerPID is the host PID of the manager's process on node 1.
func (e *exos) managerPID(b *testing.B) int {
	list, err := e.engine.ContainerList(context.Background(), container.ListOptions{Filters: filters.NewArgs(
		filters.Arg("label", "com.docker.swarm.service.name=exos_manager"))})
	if err != nil || len(list) != 1 {
		b.Fatalf("the manager's container on node 1: %v (%d found)", err, len(list))
	}
	inspect, err := e.engine.ContainerInspect(context.Background(), list[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	return inspect.State.Pid
}
