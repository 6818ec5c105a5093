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

// BenchmarkDeployConverge deploys a 10-service stack and waits until every service runs:
// `docker exos stack deploy --wait` against the anchor, `docker stack deploy` followed by
// polling `docker stack services` every 100ms, as a script would. Rounds alternate between
// the two on the same swarm; it reports the median of each and their ratio.
func BenchmarkDeployConverge(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "bench10.yml")
	if err := os.WriteFile(file, []byte(benchStack(10, 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	var exosTimes, nativeTimes []time.Duration
	for i := 0; b.Loop(); i++ {
		stack := fmt.Sprintf("x%d", i)
		start := time.Now()
		e.must(b, e.run("stack", "deploy", "-c", file, "--wait", stack))
		exosTimes = append(exosTimes, time.Since(start))
		e.must(b, e.run("stack", "rm", stack))

		stack = fmt.Sprintf("n%d", i)
		start = time.Now()
		e.must(b, e.docker("stack", "deploy", "--resolve-image", "never", "-c", file, stack))
		for !e.converged(b, stack, 10) {
			time.Sleep(100 * time.Millisecond)
		}
		nativeTimes = append(nativeTimes, time.Since(start))
		e.must(b, e.docker("stack", "rm", stack))
	}
	exos, native := median(exosTimes), median(nativeTimes)
	b.ReportMetric(exos.Seconds(), "exos-s")
	b.ReportMetric(native.Seconds(), "native-s")
	b.ReportMetric(exos.Seconds()/native.Seconds(), "ratio")
}

// converged reports whether the stack has that many services, each with as many replicas
// running as desired, as `docker stack services` prints them.
func (e *exos) converged(b *testing.B, stack string, services int) bool {
	res := e.docker("stack", "services", "--format", "{{.Replicas}}", stack)
	e.must(b, res)
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
// and measures until it answers /healthz again (Swarm's restart included), and the
// manager's own start-to-ready time from its log.
func BenchmarkManagerRestart(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "bench200.yml")
	if err := os.WriteFile(file, []byte(benchStack(200, 0)), 0o644); err != nil {
		b.Fatal(err)
	}
	e.must(b, e.run("stack", "deploy", "-c", file, "big"))
	var downtime []time.Duration
	for b.Loop() {
		downtime = append(downtime, e.killManager())
	}
	info, err := e.api.Info(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if info.Services < 200 {
		b.Fatalf("the index holds %d services, want at least 200", info.Services)
	}
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
