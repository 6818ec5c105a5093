//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/exos-platform/exos/e2e/engineproxy"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/icmd"
)

// watchSettle is how long after a deploy the manager's reaction to it is counted: the
// burst of service events is read at once, their tasks listed 250 ms later, and further
// only while tasks are on their way.
const watchSettle = 12 * time.Second

// proxiedManager is a one-node swarm whose installed manager reaches its Engine through
// a counting proxy, and a second proxy for the CLIs.
type proxiedManager struct {
	e            *exos
	manager, cli *engineproxy.Proxy
}

func startProxied(b *testing.B) *proxiedManager {
	dir := buildDir(b)
	sw := testbed.Start(b, testbed.Options{Nodes: 1, Images: []string{testbed.BusyboxImage(b), filepath.Join(dir, "images", "exos-manager.tar")}})
	node1 := strings.TrimPrefix(sw.Nodes[0].Host, "unix://")
	p := &proxiedManager{}
	var err error
	for _, name := range []string{"manager", "cli"} {
		proxy, err2 := engineproxy.Start(filepath.Join(filepath.Dir(node1), name+"-proxy.sock"), node1)
		if err = err2; err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = proxy.Close() })
		if name == "manager" {
			p.manager = proxy
		} else {
			p.cli = proxy
		}
	}
	p.e = &exos{t: b, sw: sw, engine: sw.Client(b, 1), dockerConfig: pluginConfig(b, dir)}
	p.e.must(b, p.e.run("manager", "install", "--image", managerImage(), "--docker-socket", p.manager.Socket, "--agent-docker-socket", agentSocket(sw)))
	p.e.connect()
	return p
}

// viaCLIProxy runs docker ARGS with the CLI's Engine calls going through the CLI proxy.
func (p *proxiedManager) viaCLIProxy(b *testing.B, args ...string) {
	env := []string{"DOCKER_HOST=unix://" + p.cli.Socket}
	for _, kv := range p.e.env(1) {
		if !strings.HasPrefix(kv, "DOCKER_HOST=") {
			env = append(env, kv)
		}
	}
	p.e.must(b, icmd.RunCmd(icmd.Command("docker", args...), icmd.WithEnv(env...), icmd.WithTimeout(3*time.Minute)))
}

// BenchmarkDeployEngineCallsWatched counts every Engine call a 10-service deploy costs
// with the manager installed: `docker exos stack deploy --wait` (the CLI's calls and the
// manager's: its deploy, its watcher and its audit log until watchSettle after) against
// `docker stack deploy` (the CLI's calls), in the same run. Target (issue 15): the
// deploy's and the watcher's calls <= 1.2x native's. The audit record of the deploy, which
// native has no counterpart of, is counted beside it, and so is the manager's reaction to
// the native deploy.
func BenchmarkDeployEngineCallsWatched(b *testing.B) {
	p := startProxied(b)
	file := filepath.Join(b.TempDir(), "bench10.yml")
	if err := os.WriteFile(file, []byte(benchStack(10, 0)), 0o644); err != nil {
		b.Fatal(err)
	}
	time.Sleep(watchSettle) // past the polls of the manager's start
	var deploy, watcher, audit, native, watcherOnNative, idle []float64
	for i := 0; b.Loop(); i++ {
		p.manager.Reset()
		time.Sleep(watchSettle)
		idle = append(idle, float64(len(p.manager.Calls())))

		p.manager.Reset()
		p.cli.Reset()
		p.viaCLIProxy(b, "exos", "stack", "deploy", "--wait", "-c", file, fmt.Sprintf("x%d", i))
		time.Sleep(watchSettle)
		byPart := callsByPart(append(p.manager.Calls(), p.cli.Calls()...))
		deploy, watcher, audit = append(deploy, byPart["deploy"]), append(watcher, byPart["watcher"]), append(audit, byPart["audit"])
		if i == 0 {
			b.Logf("EXOS deploy: the CLI's calls %s; the manager's %s", callPaths(p.cli.Calls()), callPaths(p.manager.Calls()))
		}

		p.manager.Reset()
		p.cli.Reset()
		p.viaCLIProxy(b, "stack", "deploy", "--resolve-image", "never", "-c", file, fmt.Sprintf("n%d", i))
		time.Sleep(watchSettle)
		native = append(native, float64(len(p.cli.Calls())))
		watcherOnNative = append(watcherOnNative, float64(len(p.manager.Calls())))
	}
	b.ReportMetric(medianOf(deploy), "deploy-calls")
	b.ReportMetric(medianOf(watcher), "watcher-calls")
	b.ReportMetric(medianOf(audit), "audit-calls")
	b.ReportMetric(medianOf(native), "native-calls")
	b.ReportMetric((medianOf(deploy)+medianOf(watcher))/medianOf(native), "ratio")
	b.ReportMetric((medianOf(deploy)+medianOf(watcher)+medianOf(audit))/medianOf(native), "ratio-with-audit")
	b.ReportMetric(medianOf(watcherOnNative), "watcher-on-native-calls")
	b.ReportMetric(medianOf(idle), "idle-calls")
}

// callsByPart counts the calls of an EXOS deploy by the part of EXOS that made them:
// the watcher reads services by ID and tasks; the audit log writes and removes its
// configs (the only configs a deploy removes by ID are the audit segment's old
// versions); the deploy does the rest (with the CLI's discovery, if any).
func callsByPart(calls []engineproxy.Call) map[string]float64 {
	out := map[string]float64{}
	for _, c := range calls {
		q, _ := url.QueryUnescape(c.Query)
		switch {
		case c.Path == "/tasks" || c.Path == "/services" && strings.Contains(q, `"id"`):
			out["watcher"]++
		case strings.Contains(q, "audit") || strings.Contains(c.Path, "audit") || strings.Contains(c.Object, ".audit-") ||
			c.Method == "DELETE" && strings.HasPrefix(c.Path, "/configs/"):
			out["audit"]++
		default:
			out["deploy"]++
		}
	}
	return out
}

// BenchmarkTaskEventLatency kills a running task's container and measures from the
// Engine's die event (its own timestamp) until the API shows the task stopped, with the
// manager installed and its agent reporting, long after any deploy. Target (issue 15):
// < 1 s.
func BenchmarkTaskEventLatency(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "latency.yml")
	if err := os.WriteFile(file, []byte(benchStack(1, 5)), 0o644); err != nil {
		b.Fatal(err)
	}
	e.must(b, e.run("stack", "deploy", "--wait", "-c", file, "lat"))
	time.Sleep(watchSettle)
	var took []float64
	for b.Loop() {
		took = append(took, e.killAndSee(b, "lat", "lat_s000").Seconds()*1000)
		for !e.converged(b, "lat", 1) {
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(watchSettle) // the replacement's polls are over: the next kill meets events alone
	}
	slices.Sort(took)
	b.ReportMetric(took[len(took)/2], "median-ms")
	b.ReportMetric(took[len(took)-1], "max-ms")
}

// killAndSee kills one running container of service and returns the time from its die
// event until the API's containers of stack show its task not running.
func (e *exos) killAndSee(b *testing.B, stack, service string) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	victim := e.runningContainerOn(1, service)
	msgs, errs := e.engine.Events(ctx, events.ListOptions{Filters: filters.NewArgs(
		filters.Arg("type", "container"), filters.Arg("event", "die"), filters.Arg("container", victim.ID))})
	if err := e.engine.ContainerKill(ctx, victim.ID, "KILL"); err != nil {
		b.Fatal(err)
	}
	var died time.Time
	select {
	case m := <-msgs:
		died = time.Unix(0, m.TimeNano)
	case err := <-errs:
		b.Fatal(err)
	}
	task := victim.Labels["com.docker.swarm.task.id"]
	for {
		containers, _, err := e.api.StackContainers(ctx, stack, api.QueryOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range containers {
			if c.ID == task && c.State != "running" {
				return time.Since(died)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkNativeDeployEngineCPU measures node 1's dockerd CPU during a native
// `docker stack deploy` of 200 one-replica services until they all run, with the manager
// and its agent installed and without them, in rounds of alternating order on one swarm.
// Target (issue 15): the manager adds < 5% (median of the rounds; dockerd's own CPU for
// the same deploy varies by several percent from round to round, so the lowest and
// highest are printed beside it).
func BenchmarkNativeDeployEngineCPU(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "native200.yml")
	if err := os.WriteFile(file, []byte(benchStack(200, 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	dockerd := dockerdPID(b, e)
	installed := true
	var with, without, added []float64
	for i := 0; b.Loop(); i++ {
		pair := [2]float64{}
		for _, wantManager := range []bool{i%2 == 0, i%2 != 0} {
			if wantManager != installed {
				e.setManagerInstalled(b, wantManager)
				installed = wantManager
			}
			cpu := e.nativeDeployCPU(b, file, fmt.Sprintf("n%d%t", i, wantManager), dockerd)
			if wantManager {
				pair[0], with = cpu, append(with, cpu)
			} else {
				pair[1], without = cpu, append(without, cpu)
			}
		}
		added = append(added, (pair[0]-pair[1])/pair[1]*100)
	}
	b.ReportMetric(medianOf(with), "with-manager-cpu-s")
	b.ReportMetric(medianOf(without), "without-cpu-s")
	b.ReportMetric(medianOf(added), "added-%")
	b.ReportMetric(slices.Min(added), "added-%-min")
	b.ReportMetric(slices.Max(added), "added-%-max")
}

// nativeDeployCPU deploys file natively as stack, waits for every task to run and returns
// the CPU seconds dockerd spent meanwhile; the stack is then removed and waited gone.
func (e *exos) nativeDeployCPU(b *testing.B, file, stack string, dockerd int) float64 {
	time.Sleep(watchSettle) // the last removal's aftermath, and the manager's start, are over
	before := cpuSeconds(b, dockerd)
	e.must(b, e.docker("stack", "deploy", "--resolve-image", "never", "-c", file, stack))
	deadline := time.Now().Add(10 * time.Minute)
	for !e.converged(b, stack, 200) {
		if time.Now().After(deadline) {
			b.Fatal("the 200 services did not converge within 10 minutes")
		}
		time.Sleep(time.Second)
	}
	cpu := cpuSeconds(b, dockerd) - before
	e.must(b, e.docker("stack", "rm", stack))
	e.waitGone(b, stack)
	return cpu
}

func (e *exos) setManagerInstalled(b *testing.B, installed bool) {
	if !installed {
		e.must(b, e.run("manager", "uninstall"))
		return
	}
	e.must(b, e.run("manager", "install", "--image", managerImage(), "--docker-socket", strings.TrimPrefix(e.sw.Nodes[0].Host, "unix://"),
		"--agent-docker-socket", agentSocket(e.sw)))
	e.connect()
}

// dockerdPID is node 1's dockerd.
func dockerdPID(b *testing.B, e *exos) int {
	data, err := os.ReadFile(fmt.Sprintf("/run/exos-testbed/%d/n1/docker.pid", e.sw.ID))
	if err != nil {
		b.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		b.Fatal(err)
	}
	return pid
}

// callPaths lists calls as "METHOD path", for a bench's log.
func callPaths(calls []engineproxy.Call) string {
	var out []string
	for _, c := range calls {
		q, _ := url.QueryUnescape(c.Query)
		out = append(out, strings.TrimSpace(c.Method+" "+c.Path+"?"+q+" "+c.Object))
	}
	return strings.Join(out, ", ")
}
