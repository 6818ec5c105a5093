package hooks

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

const (
	// keptDeployments bounds the deployments whose status can be read: a CI polls for
	// minutes, and a thousand pushes are far more than one swarm makes in that time.
	keptDeployments = 1000
	// keptEvents bounds the registry event IDs remembered for deduplication; a registry
	// retries for minutes, not for ten thousand pushes.
	keptEvents = 10000
	// deployTimeout bounds one deploy in the background.
	deployTimeout = 10 * time.Minute
)

// deployment is one accepted push, queued or deployed. Its fields change under Deploys.mu.
type deployment struct {
	id       string
	hook     string
	stack    string
	services []string
	image    string // repo:tag@digest
	format   string
	received time.Time
	source   string

	// phase is pending until the deploy starts, then deploying, then done; a pending
	// deployment may be superseded instead.
	phase        string
	supersededBy string
	failure      string // why the deploy could not be made
	revisions    []int  // per service, 0 where it already ran the image
	followed     bool   // the end of its rollout is recorded, or no longer awaited
	// recorded is closed once the delivery that queued it is in the history.
	recorded chan struct{}
}

const (
	phasePending    = "pending"
	phaseDeploying  = "deploying"
	phaseDone       = "done"
	phaseSuperseded = "superseded"
)

// stackQueue is a stack's deploys: at most one running, and the newest push waiting.
type stackQueue struct {
	running, next *deployment
}

// enqueue queues a deploy of image to the stack's services, and says what it did: the
// outcome is accepted, duplicate (the same image to the same services is queued or
// deploying: that deployment is returned) or unchanged (nothing is queued for the stack
// and the services run the image). A waiting deployment is superseded by the new one:
// only the newest push waits. A push of the running digest while another deploy is on
// its way is queued: it is the newest, and reverts the other.
func (d *Deploys) enqueue(hook api.Hook, format, image string, targets []*state.Service, rec *api.DeployDelivery) (*deployment, string) {
	services := names(targets)
	d.mu.Lock()
	defer d.mu.Unlock()
	q := d.queues[hook.Stack]
	if q == nil {
		if runsAlready(targets, image) {
			return nil, api.DeliveryUnchanged
		}
		q = &stackQueue{}
		d.queues[hook.Stack] = q
	}
	last := q.next
	if last == nil {
		last = q.running
	}
	if last != nil && last.image == image && slices.Equal(last.services, services) {
		return last, api.DeliveryDuplicate
	}
	dep := &deployment{
		id: hex16(), hook: hook.ID, stack: hook.Stack, services: services, image: image, format: format,
		received: d.now().UTC(), source: rec.Source, phase: phasePending, recorded: make(chan struct{}),
	}
	d.deployments.put(dep.id, dep)
	switch {
	case q.running == nil:
		q.running, dep.phase = dep, phaseDeploying
		d.running.Add(1)
		go d.work(q, hook.Stack)
	case q.next != nil:
		old := q.next
		old.phase, old.supersededBy = phaseSuperseded, dep.id
		d.History.Add(api.DeployDelivery{
			Time: dep.received, Hook: old.hook, Stack: old.stack, Format: old.format, Image: old.image, Outcome: api.DeliverySuperseded,
			Deployment: old.id, Reason: fmt.Sprintf("a newer push (deployment %s, %s) replaced it before it ran", dep.id, dep.image),
			Actor: api.DeployHookActor(old.hook), Source: old.source,
		})
		q.next = dep
	default:
		q.next = dep
	}
	return dep, api.DeliveryAccepted
}

// work deploys the stack's queue until it is empty. The stack service's lock serializes
// each deploy with manual deploys and scaling steps; work holds none of its own while
// deploying, so nothing waits on two locks.
func (d *Deploys) work(q *stackQueue, stack string) {
	defer d.running.Done()
	for {
		d.mu.Lock()
		dep := q.running
		d.mu.Unlock()

		d.deploy(dep)

		d.mu.Lock()
		dep.phase = phaseDone
		d.wakeFollower()
		q.running, q.next = q.next, nil
		if q.running == nil {
			delete(d.queues, stack)
			d.mu.Unlock()
			return
		}
		q.running.phase = phaseDeploying
		d.mu.Unlock()
	}
}

// deploy sets the image of each of the deployment's services, as revisions authored by
// the hook, guarded (start-first, rollback on failure, monitored), and records and audits
// what it did.
func (d *Deploys) deploy(dep *deployment) {
	ctx, cancel := context.WithTimeout(context.Background(), deployTimeout)
	defer cancel()
	actor := api.DeployHookActor(dep.hook)
	var revisions []int
	var failure string
	for _, name := range dep.services {
		req := api.SetImageRequest{Service: strings.TrimPrefix(name, dep.stack+"_"), Image: dep.image, Guarded: true}
		res, err := d.deployer.SetImage(ctx, dep.stack, req, actor, dep.source)
		if err != nil {
			failure = fmt.Sprintf("service %s: %v", name, err)
			break
		}
		rev := res.Revision
		if res.Unchanged {
			rev = 0
		}
		revisions = append(revisions, rev)
		d.auditDeploy(ctx, dep, name, res, nil)
	}
	d.mu.Lock()
	dep.revisions, dep.failure = revisions, failure
	d.mu.Unlock()
	rec := api.DeployDelivery{
		Hook: dep.hook, Stack: dep.stack, Format: dep.format, Image: dep.image, Deployment: dep.id, Actor: actor, Source: dep.source,
		Outcome: api.DeliveryDeployed, Revision: lastRevision(revisions),
	}
	if failure != "" {
		rec.Outcome, rec.Reason = api.DeliveryFailed, failure
		d.auditDeploy(ctx, dep, "", api.SetImageResult{}, fmt.Errorf("%s", failure))
	}
	select { // the delivery is recorded as soon as its answer is made
	case <-dep.recorded:
	case <-ctx.Done():
	}
	d.record(rec)
}

func lastRevision(revisions []int) int {
	for i := len(revisions) - 1; i >= 0; i-- {
		if revisions[i] != 0 {
			return revisions[i]
		}
	}
	return 0
}

// auditDeploy stores the audit event of one service's deploy (or of the deploy's
// failure), as the hook's actor.
func (d *Deploys) auditDeploy(ctx context.Context, dep *deployment, service string, res api.SetImageResult, err error) {
	if d.audit == nil {
		return
	}
	env, _ := d.stacks.Env(dep.stack)
	e := api.AuditEvent{
		Time: d.now().UTC(), Actor: api.DeployHookActor(dep.hook), Source: sourceHost(dep.source), Action: "stack.set-image",
		Object: "stacks/" + dep.stack, Env: env, Result: api.AuditOK, Status: 200, Revision: res.Revision,
		Detail: fmt.Sprintf("service %s: %s (deployment %s)", service, dep.image, dep.id),
	}
	switch {
	case err != nil:
		e.Result, e.Status, e.Revision, e.Detail = api.AuditError, api.StatusOf(err), 0, fmt.Sprintf("%s (deployment %s): %v", dep.image, dep.id, err)
	case res.Unchanged:
		e.Detail += ": already running, unchanged"
	}
	if err := d.audit.Record(ctx, e); err != nil {
		d.log.Error("audit event of a hook deploy not stored", "deployment", dep.id, "err", err)
	}
}

// sourceHost is the address without its port, as audit events have it.
func sourceHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

func (d *Deploys) deployment(id string) (*deployment, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.deployments.get(id)
}

// recent is a map that keeps its last n entries.
type recent[T any] struct {
	n     int
	m     map[string]T
	order []string
}

func newRecent[T any](n int) *recent[T] { return &recent[T]{n: n, m: map[string]T{}} }

func (r *recent[T]) get(k string) (T, bool) {
	v, ok := r.m[k]
	return v, ok
}

func (r *recent[T]) put(k string, v T) {
	if _, ok := r.m[k]; !ok {
		r.order = append(r.order, k)
	}
	r.m[k] = v
	if len(r.order) > r.n {
		delete(r.m, r.order[0])
		r.order = r.order[1:]
	}
}

func hex16() string { return fmt.Sprintf("%x", randomBytes(16)) }
