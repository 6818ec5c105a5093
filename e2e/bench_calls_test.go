//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gotest.tools/v3/icmd"

	"github.com/exos-platform/exos/e2e/engineproxy"
	"github.com/exos-platform/exos/e2e/testbed"
)

// BenchmarkDeployEngineCalls counts the Engine API calls and bytes of one deploy of a new
// 10-service stack: EXOS's deploy path (in process, as the manager runs it) against
// `docker stack deploy`, both through the same counting proxy on the same swarm, in
// alternating rounds. It reports the medians and the ratio of calls (target <= 1.2).
// The watcher's task polling is not part of a deploy and is not counted.
func BenchmarkDeployEngineCalls(b *testing.B) {
	sw := testbed.Start(b, testbed.Options{Nodes: 1, Images: []string{testbed.BusyboxImage(b)}})
	r := newRig(b, sw)
	file := filepath.Join(b.TempDir(), "bench10.yml")
	if err := os.WriteFile(file, []byte(benchStack(10, 0)), 0o644); err != nil {
		b.Fatal(err)
	}
	var exosCalls, nativeCalls, exosBytes, nativeBytes []float64
	for i := 0; b.Loop(); i++ {
		r.proxy.Reset()
		if _, err := r.deploy(b, fmt.Sprintf("x%d", i), file, false); err != nil {
			b.Fatal(err)
		}
		calls, bytes := tally(r.proxy.Calls())
		exosCalls, exosBytes = append(exosCalls, calls), append(exosBytes, bytes)

		r.proxy.Reset()
		cmd := icmd.Command("docker", "stack", "deploy", "--resolve-image", "never", "-c", file, fmt.Sprintf("n%d", i))
		res := icmd.RunCmd(cmd, icmd.WithEnv("DOCKER_HOST=unix://"+r.proxy.Socket, "DOCKER_CONFIG="+b.TempDir(), "PATH="+os.Getenv("PATH")))
		if res.Error != nil {
			b.Fatal(res.Combined())
		}
		calls, bytes = tally(r.proxy.Calls())
		nativeCalls, nativeBytes = append(nativeCalls, calls), append(nativeBytes, bytes)
	}
	b.ReportMetric(medianOf(exosCalls), "exos-calls")
	b.ReportMetric(medianOf(nativeCalls), "native-calls")
	b.ReportMetric(medianOf(exosCalls)/medianOf(nativeCalls), "ratio")
	b.ReportMetric(medianOf(exosBytes)/1024, "exos-KiB")
	b.ReportMetric(medianOf(nativeBytes)/1024, "native-KiB")
}

func tally(calls []engineproxy.Call) (n, bytes float64) {
	for _, c := range calls {
		n++
		bytes += float64(c.Bytes)
	}
	return n, bytes
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
