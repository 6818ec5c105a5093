//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/icmd"
)

// BenchmarkDeployConverge deploys a 10-service stack and waits until every service has
// converged: `docker exos stack deploy --wait` against the anchor, `docker stack deploy`
// followed by polling `docker stack services` every 100ms, as a script would, until every
// service has run its replicas for Swarm's 5 s monitor, which is when `docker service
// create` itself says "Service converged" and what --wait waits for. Each round runs the pair
// in alternating order on the same swarm, each deploy starting once the previous stack is
// wholly gone (`docker stack rm` returns before its containers and networks are); the
// ratio is the median of the rounds' ratios, with the lowest and highest beside it.
func BenchmarkDeployConverge(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "bench10.yml")
	if err := os.WriteFile(file, []byte(benchStack(10, 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	var exosTimes, nativeTimes []time.Duration
	var ratios []float64
	for i := 0; b.Loop(); i++ {
		exosRound := func() time.Duration {
			stack := fmt.Sprintf("x%d", i)
			start := time.Now()
			e.must(b, e.run("stack", "deploy", "-c", file, "--wait", stack))
			took := time.Since(start)
			e.must(b, e.run("stack", "rm", stack))
			e.waitGone(b, stack)
			return took
		}
		nativeRound := func() time.Duration {
			stack := fmt.Sprintf("n%d", i)
			start := time.Now()
			e.must(b, e.docker("stack", "deploy", "--resolve-image", "never", "-c", file, stack))
			e.stable(b, stack, 10)
			took := time.Since(start)
			e.must(b, e.docker("stack", "rm", stack))
			e.waitGone(b, stack)
			return took
		}
		var x, n time.Duration
		if i%2 == 0 {
			x, n = exosRound(), nativeRound()
		} else {
			n, x = nativeRound(), exosRound()
		}
		exosTimes, nativeTimes = append(exosTimes, x), append(nativeTimes, n)
		ratios = append(ratios, x.Seconds()/n.Seconds())
	}
	slices.Sort(ratios)
	b.ReportMetric(median(exosTimes).Seconds(), "exos-s")
	b.ReportMetric(median(nativeTimes).Seconds(), "native-s")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
	b.ReportMetric(ratios[0], "ratio-min")
	b.ReportMetric(ratios[len(ratios)-1], "ratio-max")
}

// swarmMonitor is Swarm's default update monitor: how long a task must stay up for
// `docker service create` to call the service converged.
const swarmMonitor = 5 * time.Second

// stable polls the stack every 100ms until all its services have run their replicas for
// swarmMonitor.
func (e *exos) stable(b *testing.B, stack string, services int) {
	var since time.Time // when the services were last seen all up, after being down
	for {
		switch up := e.converged(b, stack, services); {
		case !up:
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) >= swarmMonitor:
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// converged reports whether the stack has that many services, each with as many replicas
// running as desired, as `docker stack services` prints them. An Engine too busy to
// answer (thousands of containers starting) is not converged yet.
func (e *exos) converged(b *testing.B, stack string, services int) bool {
	res := e.docker("stack", "services", "--format", "{{.Replicas}}", stack)
	if res.Error != nil {
		b.Logf("docker stack services %s: %v", stack, res.Error)
		return false
	}
	lines := strings.Fields(res.Stdout())
	if len(lines) != services {
		return false
	}
	for _, l := range lines {
		running, desired, _ := strings.Cut(l, "/")
		if running != desired {
			return false
		}
	}
	return true
}

// BenchmarkManagerRestart kills the manager with SIGKILL on a swarm holding 200 services
// with 1,000 running tasks and measures until it answers /healthz again (Swarm's restart
// included), and the manager's own start-to-ready time from its log.
func BenchmarkManagerRestart(b *testing.B) {
	// Five stacks of 40 services of 5 replicas: a stack's default overlay network is a
	// /24, whose addresses Swarm hands to tasks (beyond 254 they stay "new").
	const stacks, perStack, replicas = 5, 40, 5
	const services = stacks * perStack
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "bench40.yml")
	if err := os.WriteFile(file, []byte(benchStack(perStack, replicas)), 0o644); err != nil {
		b.Fatal(err)
	}
	for i := range stacks {
		e.must(b, e.run("stack", "deploy", "-c", file, fmt.Sprintf("big%d", i)))
	}
	deadline := time.Now().Add(15 * time.Minute)
	for i := range stacks {
		for !e.converged(b, fmt.Sprintf("big%d", i), perStack) {
			if time.Now().After(deadline) {
				b.Fatalf("the %d tasks did not all run within 15 minutes", services*replicas)
			}
			time.Sleep(2 * time.Second)
		}
	}
	var downtime []time.Duration
	for b.Loop() {
		downtime = append(downtime, e.killManager())
	}
	info, err := e.api.Info(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if info.Services < services || info.Tasks < services*replicas {
		b.Fatalf("the index holds %d services and %d tasks, want at least %d and %d", info.Services, info.Tasks, services, services*replicas)
	}
	b.ReportMetric(float64(info.Tasks), "tasks")
	b.ReportMetric(median(downtime).Seconds(), "kill-to-healthy-s")
	b.ReportMetric(info.ReadyAt.Sub(info.StartedAt).Seconds(), "start-to-ready-s")
}

func (e *exos) must(b *testing.B, res *icmd.Result) {
	if res.Error != nil {
		b.Fatalf("%s", res.Combined())
	}
}

// benchStack is a compose file of n services with the given replicas each.
func benchStack(n, replicas int) string {
	var sb strings.Builder
	sb.WriteString("services:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "  s%03d:\n    image: exos/busybox:1\n    command: [sleep, \"3600\"]\n    init: true\n    stop_grace_period: 1s\n    deploy: {replicas: %d, endpoint_mode: dnsrr}\n", i, replicas)
	}
	return sb.String()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
