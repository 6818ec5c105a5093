//go:build e2e

package e2e

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"golang.org/x/crypto/bcrypt"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/tlsconf"
)

// BenchmarkPushToRunning measures a push to a private registry until the new task runs,
// EXOS's deploy hook against `docker service update --image` of the same kind of change,
// on one swarm and one service, in paired rounds whose order alternates (EXOS first in
// odd rounds, native first in even ones).
//
// The registry (docker-registry, htpasswd + TLS) notifies the service's deploy hook of
// every push, configured as docs/cicd.md says. An EXOS round pushes a tag matching the
// hook's pattern (another digest, the same layer: the same size) and measures from the
// delivery's time in the hook's history (the manager received the notification and
// accepted it) to the new task's running timestamp (Swarm's task status). A native round
// pushes a tag the hook ignores, waits until the manager has ignored it, and measures
// `docker service update --detach --with-registry-auth --image REPO:TAG` from the
// command's start to the new task's running timestamp. Both updates roll out the same
// way: the service's update_config is the one the hook's first (unmeasured) deploy set,
// start-first with rollback and a 5 s monitor, and the native update keeps it. Both
// stop at "new task running", not at the update's completion, which only adds the
// monitor period; each round starts once the previous update completed.
//
// EXOS's share of a pair is (EXOS - native) / EXOS; it reports the median share and
// the least and largest, the medians of both totals and their ratio, and where each
// total went (medians): the lead until Swarm started the update (UpdateStatus.StartedAt:
// EXOS's hook, queue and set-image, or the CLI's start, digest lookup and update call),
// then Swarm's rollout to the new task running. The delivery's time is taken when the
// manager has checked it and queued its deploy (the handler's own time is
// BenchmarkDeployHookFlood's); Swarm's rollout includes what the manager writes
// meanwhile (the revision's state, the audit events), on the same node: exos-deploy-s
// is the delivery until the hook's deploy call returned, those writes done.
func BenchmarkPushToRunning(b *testing.B) {
	// The test bed's dockerds pull (see TestPrivateRegistryDeployAndSetImage).
	b.Setenv("PREFER_OFFLINE", "0")
	e := start(b, testbed.Options{Nodes: 1})
	p := newPushBench(b, e)
	p.exosRound(b, 0) // the hook's first deploy sets the update_config both use
	p.nativeRound(b, 0)
	var exos, native []pushRound
	var shares []time.Duration
	for i := 1; b.Loop(); i++ {
		var x, n pushRound
		if i%2 == 1 {
			x, n = p.exosRound(b, i), p.nativeRound(b, i)
		} else {
			n, x = p.nativeRound(b, i), p.exosRound(b, i)
		}
		exos, native = append(exos, x), append(native, n)
		shares = append(shares, (x.total()-n.total())*10000/x.total()) // in 0.01 %
	}
	exosTotal, nativeTotal := medianBy(exos, pushRound.total), medianBy(native, pushRound.total)
	b.ReportMetric(exosTotal.Seconds(), "exos-s")
	b.ReportMetric(nativeTotal.Seconds(), "native-s")
	b.ReportMetric(exosTotal.Seconds()/nativeTotal.Seconds(), "ratio")
	b.ReportMetric(float64(median(shares))/100, "share-%")
	b.ReportMetric(float64(slices.Min(shares))/100, "share-min-%")
	b.ReportMetric(float64(slices.Max(shares))/100, "share-max-%")
	b.ReportMetric(medianBy(exos, pushRound.lead).Seconds(), "exos-lead-s")
	b.ReportMetric(medianBy(native, pushRound.lead).Seconds(), "native-lead-s")
	b.ReportMetric(medianBy(exos, pushRound.rollout).Seconds(), "exos-swarm-s")
	b.ReportMetric(medianBy(native, pushRound.rollout).Seconds(), "native-swarm-s")
	b.ReportMetric(medianBy(exos, pushRound.deploy).Seconds(), "exos-deploy-s")
}

func medianBy(rounds []pushRound, part func(pushRound) time.Duration) time.Duration {
	ds := make([]time.Duration, 0, len(rounds))
	for _, r := range rounds {
		ds = append(ds, part(r))
	}
	return median(ds)
}

// pushRound is one measured round: when it started (the delivery's time, or the
// command's start), when Swarm started the update, and when the new task ran; for EXOS,
// when the hook's deploy was done (revision applied, audited).
type pushRound struct{ start, swarm, running, deployed time.Time }

func (r pushRound) total() time.Duration   { return r.running.Sub(r.start) }
func (r pushRound) lead() time.Duration    { return r.swarm.Sub(r.start) }
func (r pushRound) rollout() time.Duration { return r.running.Sub(r.swarm) }
func (r pushRound) deploy() time.Duration  { return r.deployed.Sub(r.start) }

// pushBench is the stack, registry and hook of BenchmarkPushToRunning.
type pushBench struct {
	e       *exos
	reg     *notifyingRegistry
	base    v1.Image
	hook    hookSecret
	native  string // a Docker config dir logged in to the registry
	service string
}

const (
	pushRepo      = "team/app"
	pushExosTag   = "exos-"   // the hook's tag pattern is exos-*
	pushNativeTag = "native-" // the hook ignores these
)

func newPushBench(b *testing.B, e *exos) *pushBench {
	ctx := context.Background()
	p := &pushBench{e: e, service: "push_app"}
	p.reg = startNotifyingRegistry(b, fmt.Sprintf("10.201.%d.1", e.sw.ID))
	trustOnEveryDockerd(b, p.reg.addr, p.reg.ca)
	p.native = nativeConfig(b, p.reg.addr)
	var err error
	p.base, err = tarball.ImageFromPath(testbed.BusyboxImage(b), nil)
	assert.NilError(b, err)
	p.push(b, pushExosTag+"first")
	_, err = e.api.AddRegistry(ctx, api.RegistryAddRequest{Name: "private", URL: p.reg.addr, Username: registrytest.User, Password: privatePassword, CA: p.reg.ca})
	assert.NilError(b, err)

	file := filepath.Join(b.TempDir(), "push.yml")
	assert.NilError(b, os.WriteFile(file, []byte(`services:
  app:
    image: `+p.reg.addr+"/"+pushRepo+":"+pushExosTag+`first
    command: [sleep, "3600"]
    init: true
    stop_grace_period: 1s
    deploy: {replicas: 1, endpoint_mode: dnsrr}
`), 0o600))
	e.must(b, e.run("stack", "deploy", "-c", file, "--wait", "--timeout", "2m", "push"))
	res := e.run("hook", "create", "deploy", "--stack", "push", "--service", "app", "--tag-pattern", pushExosTag+"*", "--format", "json")
	e.must(b, res)
	assert.NilError(b, json.Unmarshal([]byte(res.Stdout()), &p.hook), res.Stdout())
	p.reg.notify(b, p.hook, e.caFile)
	return p
}

// push pushes the base image with a label of its own as repo:tag: another digest, the
// same layer.
func (p *pushBench) push(b *testing.B, tag string) v1.Hash {
	cfg, err := p.base.ConfigFile()
	assert.NilError(b, err)
	cfg = cfg.DeepCopy()
	cfg.Config.Labels = map[string]string{"io.exos.test.build": tag}
	img, err := mutate.ConfigFile(p.base, cfg)
	assert.NilError(b, err)
	return registrytest.Push(b, p.reg.addr, p.reg.ca, privatePassword, pushRepo+":"+tag, img)
}

// exosRound pushes a tag the hook deploys and measures from the delivery to the new
// task running. The manager is not polled until the task runs.
func (p *pushBench) exosRound(b *testing.B, i int) pushRound {
	p.waitConverged(b)
	tag := fmt.Sprintf("%s%04d", pushExosTag, i)
	digest := p.push(b, tag)
	task := p.waitRunning(b, digest)
	var delivery *api.DeployDelivery
	for deadline := time.Now().Add(time.Minute); delivery == nil; time.Sleep(50 * time.Millisecond) {
		assert.Assert(b, time.Now().Before(deadline), "no accepted delivery of %s in the hook's history", tag)
		delivery = p.delivery(b, func(d api.DeployDelivery) bool {
			return d.Outcome == api.DeliveryAccepted && strings.HasSuffix(d.Image, ":"+tag+"@"+digest.String())
		})
	}
	var deployed *api.DeployDelivery
	for deadline := time.Now().Add(time.Minute); deployed == nil; time.Sleep(50 * time.Millisecond) {
		assert.Assert(b, time.Now().Before(deadline), "deployment %s of %s is not recorded deployed", delivery.Deployment, tag)
		deployed = p.delivery(b, func(d api.DeployDelivery) bool {
			return d.Outcome == api.DeliveryDeployed && d.Deployment == delivery.Deployment
		})
	}
	return pushRound{start: delivery.Time, swarm: p.updateStarted(b), running: task.Status.Timestamp, deployed: deployed.Time}
}

// nativeRound pushes a tag the hook ignores, waits for the manager to ignore it, and
// measures `docker service update --image` of it to the new task running.
func (p *pushBench) nativeRound(b *testing.B, i int) pushRound {
	p.waitConverged(b)
	tag := fmt.Sprintf("%s%04d", pushNativeTag, i)
	digest := p.push(b, tag)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		assert.Assert(b, time.Now().Before(deadline), "the hook did not ignore the push of %s", tag)
		if p.delivery(b, func(d api.DeployDelivery) bool {
			return d.Outcome == api.DeliveryIgnored && strings.Contains(d.Reason, `"`+tag+`"`)
		}) != nil {
			break
		}
	}
	cmd := icmd.Command("docker", "service", "update", "--detach", "--with-registry-auth", "--image", p.reg.addr+"/"+pushRepo+":"+tag, p.service)
	started := time.Now()
	res := icmd.RunCmd(cmd, icmd.WithEnv("DOCKER_HOST="+p.e.sw.Nodes[0].Host, "DOCKER_CONFIG="+p.native, "PATH="+os.Getenv("PATH")))
	p.e.must(b, res)
	task := p.waitRunning(b, digest)
	return pushRound{start: started, swarm: p.updateStarted(b), running: task.Status.Timestamp}
}

// delivery is the newest delivery of the hook's history that ok accepts, or nil.
func (p *pushBench) delivery(b *testing.B, ok func(api.DeployDelivery) bool) *api.DeployDelivery {
	hist, err := p.e.api.DeployHistory(context.Background(), p.hook.ID, "")
	assert.NilError(b, err)
	for i := len(hist) - 1; i >= 0; i-- {
		if ok(hist[i]) {
			return &hist[i]
		}
	}
	return nil
}

// waitRunning waits for the service's task of the image with that digest to run.
func (p *pushBench) waitRunning(b *testing.B, digest v1.Hash) swarm.Task {
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		assert.Assert(b, time.Now().Before(deadline), "no task of %s runs %s", p.service, digest)
		for _, t := range p.tasks(b) {
			if t.Status.State == swarm.TaskStateRunning && strings.HasSuffix(t.Spec.ContainerSpec.Image, "@"+digest.String()) {
				return t
			}
		}
	}
}

// waitConverged waits until the service's last update completed (its monitor passed)
// and one task runs.
func (p *pushBench) waitConverged(b *testing.B) {
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		assert.Assert(b, time.Now().Before(deadline), "%s did not converge", p.service)
		svc, _, err := p.e.engine.ServiceInspectWithRaw(context.Background(), p.service, swarm.ServiceInspectOptions{})
		assert.NilError(b, err)
		if u := svc.UpdateStatus; u != nil && u.State != swarm.UpdateStateCompleted {
			assert.Assert(b, u.State == swarm.UpdateStateUpdating, "%s: update %s: %s", p.service, u.State, u.Message)
			continue
		}
		running := 0
		for _, t := range p.tasks(b) {
			if t.Status.State == swarm.TaskStateRunning {
				running++
			}
		}
		if running == 1 {
			return
		}
	}
}

func (p *pushBench) tasks(b *testing.B) []swarm.Task {
	tasks, err := p.e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", p.service))})
	assert.NilError(b, err)
	return tasks
}

// updateStarted is when Swarm started the service's current update.
func (p *pushBench) updateStarted(b *testing.B) time.Time {
	svc, _, err := p.e.engine.ServiceInspectWithRaw(context.Background(), p.service, swarm.ServiceInspectOptions{})
	assert.NilError(b, err)
	assert.Assert(b, svc.UpdateStatus != nil && svc.UpdateStatus.StartedAt != nil, "%s has no update status", p.service)
	return *svc.UpdateStatus.StartedAt
}

// notifyingRegistry is docker-registry with htpasswd auth (registrytest.User,
// privatePassword) and TLS from a CA of its own, on the test bed's bridge, which can be
// restarted with its data to notify a deploy hook: the hook can only be made once the
// stack runs an image from it.
type notifyingRegistry struct {
	bin, dir, addr, ca string
	cmd                *exec.Cmd
}

func startNotifyingRegistry(b *testing.B, host string) *notifyingRegistry {
	bin, err := exec.LookPath("docker-registry")
	assert.NilError(b, err, "docker-registry is installed by scripts/install-deps.sh")
	r := &notifyingRegistry{bin: bin, dir: b.TempDir()}
	now := time.Now()
	caCert, caKey, err := tlsconf.NewCA("push bench registry CA", now)
	assert.NilError(b, err)
	ca, err := tlsconf.LoadCA(caCert, caKey)
	assert.NilError(b, err)
	leaf, err := ca.Issue([]string{host}, now)
	assert.NilError(b, err)
	key, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	assert.NilError(b, err)
	var chain []byte
	for _, der := range leaf.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(privatePassword), bcrypt.MinCost)
	assert.NilError(b, err)
	for name, data := range map[string][]byte{"cert.pem": chain, "key.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}),
		"htpasswd": []byte(registrytest.User + ":" + string(hash) + "\n")} {
		assert.NilError(b, os.WriteFile(filepath.Join(r.dir, name), data, 0o600))
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	assert.NilError(b, err)
	r.addr, r.ca = l.Addr().String(), string(caCert)
	l.Close()
	b.Cleanup(func() {
		r.stop()
		if b.Failed() {
			data, _ := os.ReadFile(filepath.Join(r.dir, "registry.log"))
			b.Logf("docker-registry log:\n%s", tail(string(data), 40))
		}
	})
	r.serve(b, "", nil)
	return r
}

// notify restarts the registry to notify hook of pushes, with the endpoint docs/cicd.md
// gives, trusting the manager's CA (caFile).
func (r *notifyingRegistry) notify(b *testing.B, hook hookSecret, caFile string) {
	r.stop()
	notifications := fmt.Sprintf(`notifications:
  events:
    includereferences: true
  endpoints:
    - name: exos
      url: %s
      headers:
        Authorization: [Bearer %s]
      timeout: 5s
      threshold: 3
      backoff: 5s
      ignore:
        actions: [pull, mount, delete]
`, hook.URL, hook.Token)
	r.serve(b, notifications, []string{"SSL_CERT_FILE=" + caFile})
}

func (r *notifyingRegistry) serve(b *testing.B, notifications string, env []string) {
	config := fmt.Sprintf(`version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: %[1]s/data}}
http:
  addr: %[2]s
  tls: {certificate: %[1]s/cert.pem, key: %[1]s/key.pem}
auth:
  htpasswd: {realm: test, path: %[1]s/htpasswd}
%[3]s`, r.dir, r.addr, notifications)
	assert.NilError(b, os.WriteFile(filepath.Join(r.dir, "config.yml"), []byte(config), 0o600))
	r.cmd = exec.Command(r.bin, "serve", filepath.Join(r.dir, "config.yml"))
	r.cmd.Env = append(os.Environ(), env...)
	// Into a file, shown if the benchmark fails: it logs what clients did wrong (a HEAD
	// of a tag not pushed yet) as errors, which would mix into the results.
	logFile, err := os.OpenFile(filepath.Join(r.dir, "registry.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	assert.NilError(b, err)
	defer logFile.Close() // the child has its own descriptor
	r.cmd.Stdout, r.cmd.Stderr = logFile, logFile
	assert.NilError(b, r.cmd.Start())
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", r.addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		assert.Assert(b, time.Now().Before(deadline), "docker-registry did not listen on %s", r.addr)
	}
}

func (r *notifyingRegistry) stop() {
	if r.cmd != nil && r.cmd.ProcessState == nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}
