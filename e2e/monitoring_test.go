//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/poll"
)

// docBlock returns the fenced block of docs/autoscaling.md whose first line is
// "# name": the tests run the documented configuration itself.
func docBlock(t testing.TB, name string) string {
	t.Helper()
	f, err := os.Open("../docs/autoscaling.md")
	assert.NilError(t, err)
	defer f.Close()
	var block []string
	in, found := false, false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```") && in:
			if found {
				return strings.Join(block, "\n") + "\n"
			}
			in, block = false, nil
		case strings.HasPrefix(line, "```"):
			in = true
		case in && len(block) == 0 && line == "# "+name:
			found = true
			block = append(block, line)
		case in:
			block = append(block, line)
		}
	}
	t.Fatalf("docs/autoscaling.md has no block starting with %q", "# "+name)
	return ""
}

// fast shortens the documented timings so a test takes seconds, not minutes: the
// structure of the configuration stays as documented.
func fast(config string, replacements map[string]string) string {
	for pattern, repl := range replacements {
		config = regexp.MustCompile(pattern).ReplaceAllString(config, repl)
	}
	return config
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// daemon starts a program for the test's lifetime, logging to a file kept for failures,
// and waits until url answers 200.
func daemon(t testing.TB, url string, name string, args ...string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	assert.NilError(t, err)
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	assert.NilError(t, cmd.Start(), "%s is installed by scripts/install-deps.sh", name)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logFile.Close()
		if t.Failed() {
			data, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", name, tail(string(data), 40))
		}
	})
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return poll.Success()
			}
		}
		return poll.Continue("%s not ready at %s", name, url)
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(100*time.Millisecond))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// gauge serves one metric whose value the test sets, as the application would.
type gauge struct {
	value atomic.Int64
	addr  string
}

func serveGauge(t testing.TB, metric string, initial int64) *gauge {
	t.Helper()
	g := &gauge{}
	g.value.Store(initial)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	g.addr = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "# TYPE %s gauge\n%s %d\n", metric, metric, g.value.Load())
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return g
}

// monitoring runs Debian's Prometheus and Alertmanager with the documented configuration,
// pointed at hookURL (the token in tokenFile, the manager verified with the CA in caFile)
// and scraping the gauge.
func startMonitoring(t testing.TB, hookURL, tokenFile, caFile string, g *gauge) {
	t.Helper()
	dir := t.TempDir()
	amPort, promPort := freePort(t), freePort(t)
	rules := fast(docBlock(t, "exos-rules.yml"), map[string]string{`for: \w+`: "for: 0s"})
	prom := fast(docBlock(t, "prometheus.yml"), map[string]string{
		`(scrape|evaluation)_interval: \w+`: "${1}_interval: 1s",
		`/etc/prometheus/exos-rules.yml`:    filepath.Join(dir, "exos-rules.yml"),
		`alertmanager:9093`:                 fmt.Sprintf("127.0.0.1:%d", amPort),
		`demo_web:8080`:                     g.addr,
	})
	am := fast(docBlock(t, "alertmanager.yml"), map[string]string{
		`group_wait: \w+`:                         "group_wait: 0s",
		`group_interval: \w+`:                     "group_interval: 1s",
		`repeat_interval: \w+`:                    "repeat_interval: 2s",
		`https://MANAGER:7420/hooks/v1/scale/\w+`: hookURL,
		`/etc/alertmanager/exos-hook-token`:       tokenFile,
		`/etc/alertmanager/exos-ca.pem`:           caFile,
	})
	for name, content := range map[string]string{"exos-rules.yml": rules, "prometheus.yml": prom, "alertmanager.yml": am} {
		assert.NilError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	daemon(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", amPort), "prometheus-alertmanager",
		"--config.file="+filepath.Join(dir, "alertmanager.yml"), "--storage.path="+filepath.Join(dir, "am"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", amPort), "--cluster.listen-address=")
	daemon(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", promPort), "prometheus",
		"--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "prom"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", promPort), "--rules.alert.resend-delay=1s")
}
