//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/icmd"
)

// BenchmarkReadCommands times the plugin's read commands against the Docker CLI's own
// for the same answer, on one disposable swarm with a 10-service stack: `docker exos
// stack ls` against `docker stack ls`, `docker exos stack containers` against `docker
// stack ps`. Each round runs the pair in alternating order; the ratio is the median of
// the rounds' ratios, with the lowest and highest printed beside it. plugin-minimum-ms is
// what Docker's plugin mechanism costs any plugin (`docker minimal`, a plugin of the
// standard library that does nothing: the docker process, the plugin's metadata run, the
// plugin's start); plugin-floor-ms is what a command the launcher hands to exos-cli costs
// before it does anything (`docker exos --help`).
func BenchmarkReadCommands(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	file := filepath.Join(b.TempDir(), "bench10.yml")
	if err := os.WriteFile(file, []byte(benchStack(10, 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	e.must(b, e.run("stack", "deploy", "-c", file, "--wait", "app"))
	pairs := []struct {
		name         string
		exos, native []string
	}{
		{"ls", []string{"stack", "ls"}, []string{"stack", "ls"}},
		{"containers", []string{"stack", "containers", "app"}, []string{"stack", "ps", "app"}},
	}
	e.must(b, e.run("stack", "ls")) // the first call finds the manager; later ones remember it
	minimal := minimalPlugin(b, e)
	var floor, minimum []time.Duration
	ratios := make([][]float64, len(pairs))
	exosTimes := make([][]time.Duration, len(pairs))
	for round := 0; b.Loop(); round++ {
		for i, p := range pairs {
			exos := func() time.Duration { return timed(b, e, e.run, p.exos) }
			native := func() time.Duration { return timed(b, e, e.docker, p.native) }
			var x, n time.Duration
			if round%2 == 0 {
				x, n = exos(), native()
			} else {
				n, x = native(), exos()
			}
			ratios[i] = append(ratios[i], x.Seconds()/n.Seconds())
			floor = append(floor, timed(b, e, e.run, []string{"--help"}))
			minimum = append(minimum, timed(b, e, minimal, nil))
			exosTimes[i] = append(exosTimes[i], x)
		}
	}
	b.ReportMetric(median(floor).Seconds()*1000, "plugin-floor-ms")
	b.ReportMetric(median(minimum).Seconds()*1000, "plugin-minimum-ms")
	for i, p := range pairs {
		slices.Sort(ratios[i])
		r := ratios[i]
		b.ReportMetric(median(exosTimes[i]).Seconds()*1000, p.name+"-exos-ms")
		b.ReportMetric(r[len(r)/2], p.name+"-ratio")
		b.ReportMetric(r[0], p.name+"-ratio-min")
		b.ReportMetric(r[len(r)-1], p.name+"-ratio-max")
	}
}

func timed(b *testing.B, e *exos, run func(...string) *icmd.Result, args []string) time.Duration {
	begin := time.Now()
	e.must(b, run(args...))
	return time.Since(begin)
}

// minimalPlugin builds testdata/minimalplugin into the plugins of e's Docker config and
// returns what runs `docker minimal`.
func minimalPlugin(b *testing.B, e *exos) func(...string) *icmd.Result {
	out := filepath.Join(e.dockerConfig, "cli-plugins", "docker-minimal")
	if res := icmd.RunCommand("go", "build", "-o", out, "./testdata/minimalplugin"); res.Error != nil {
		b.Fatalf("building the minimal plugin: %v\n%s", res.Error, res.Combined())
	}
	return func(args ...string) *icmd.Result {
		return icmd.RunCmd(icmd.Command("docker", append([]string{"minimal"}, args...)...), icmd.WithEnv(e.env(1)...))
	}
}
