//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
)

// BenchmarkAlertToTask measures an alert posted to Alertmanager (fastest settings:
// group_wait 0s) until the first new task of the service runs, split into Alertmanager's
// delay (alert posted to EXOS's decision), EXOS (decision to the service's new replicas
// visible in Docker) and Swarm (new replicas to a new task running).
func BenchmarkAlertToTask(b *testing.B) {
	e := start(b, testbed.Options{Nodes: 1})
	e.run("stack", "deploy", "-c", "../testdata/e2e/autoscale-bench.yml", "--wait", "demo").Assert(b, icmd.Success)
	res := e.run("hook", "create", "scale", "--action", "auto", "--service", "demo_web", "--format", "json")
	res.Assert(b, icmd.Success)
	var h hookSecret
	assert.NilError(b, json.Unmarshal([]byte(res.Stdout()), &h))
	amURL := startFastAlertmanager(b, h, e.caFile)

	var amDelay, exosDelay, swarmDelay time.Duration
	for i := range b.N {
		before := e.replicas("demo_web")
		posted := time.Now()
		postAlert(b, amURL, fmt.Sprintf("Bench%d", i))
		b.Cleanup(func() {
			if b.Failed() {
				hist, _ := e.api.ScaleHistory(context.Background(), h.ID, "")
				b.Logf("hook history: %+v", hist)
			}
		})
		// Poll Docker closely first; the decision's own timestamp is read afterwards.
		updated := waitUntil(b, func() bool { return e.replicas("demo_web") > before })
		running := waitUntil(b, func() bool { return e.runningTasks("demo_web") > int(before) })
		decided := e.waitDecision(b, h.ID, 30*time.Second, "the step", func(d api.ScaleDecision) bool {
			return d.Decision == api.DecisionApplied && d.Alert == fmt.Sprintf("Bench%d", i)
		}).Time
		// Docker's answer comes after the decision's timestamp, but the poll may see
		// it first: the decision and the update are both EXOS's part then.
		if updated.Before(decided) {
			updated = decided
		}
		amDelay += decided.Sub(posted)
		exosDelay += updated.Sub(decided)
		swarmDelay += running.Sub(updated)
	}
	n := float64(b.N)
	b.ReportMetric(amDelay.Seconds()/n, "alertmanager-s")
	b.ReportMetric(exosDelay.Seconds()/n, "exos-s")
	b.ReportMetric(swarmDelay.Seconds()/n, "swarm-s")
	b.ReportMetric((amDelay+exosDelay+swarmDelay).Seconds()/n, "alert-to-task-s")
}

func startFastAlertmanager(b *testing.B, h hookSecret, caFile string) string {
	dir := b.TempDir()
	token := filepath.Join(dir, "token")
	assert.NilError(b, os.WriteFile(token, []byte(h.Token), 0o600))
	config := fmt.Sprintf(`route:
  receiver: exos-scale
  group_by: [alertname, service]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: exos-scale
    webhook_configs:
      - url: %s
        http_config:
          authorization:
            credentials_file: %s
          tls_config:
            ca_file: %s
`, h.URL, token, caFile)
	assert.NilError(b, os.WriteFile(filepath.Join(dir, "am.yml"), []byte(config), 0o600))
	port := freePort(b)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	daemon(b, url+"/-/ready", "prometheus-alertmanager", "--config.file="+filepath.Join(dir, "am.yml"),
		"--storage.path="+filepath.Join(dir, "data"), fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port), "--cluster.listen-address=")
	return url
}

// postAlert fires an alert through Alertmanager's API, as Prometheus does.
func postAlert(b *testing.B, amURL, name string) {
	body, _ := json.Marshal([]map[string]any{{
		"labels":   map[string]string{"alertname": name, "service": "demo_web", "scale": "up"},
		"startsAt": time.Now().UTC(),
	}})
	resp, err := http.Post(amURL+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	assert.NilError(b, err)
	resp.Body.Close()
	assert.Equal(b, resp.StatusCode, http.StatusOK)
}

func waitUntil(b *testing.B, ok func() bool) time.Time {
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			b.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

func (e *exos) runningTasks(service string) int {
	tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", service), filters.Arg("desired-state", "running"))})
	assert.NilError(e.t, err)
	n := 0
	for _, t := range tasks {
		if t.Status.State == swarm.TaskStateRunning {
			n++
		}
	}
	return n
}
