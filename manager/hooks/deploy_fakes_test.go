package hooks

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
)

// fakeResolver resolves the tags it has, as the registries service does: repo:tag@digest
// for a known tag, ErrUnprocessable for another, ErrBadGateway while the registry is down.
type fakeResolver struct {
	mu    sync.Mutex
	tags  map[string]string // repo:tag -> digest
	down  bool
	calls int
	// unknown is a repository of no registry EXOS knows: its images stay as they are.
	unknown string
}

func (f *fakeResolver) Resolve(_ context.Context, image, _ string) (string, []api.Platform, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return "", nil, true, fmt.Errorf("%w: registry reg:5000 did not answer: dial tcp: connection refused", api.ErrBadGateway)
	}
	if f.unknown != "" && strings.HasPrefix(image, f.unknown+":") {
		return image, nil, false, nil
	}
	digest, ok := f.tags[image]
	if !ok {
		return "", nil, true, fmt.Errorf("%w: the registry has no tag %s", api.ErrUnprocessable, image)
	}
	return image + "@" + digest, []api.Platform{}, true, nil
}

// fakeStacks is the stack service's side of a hook deploy: SetImage under the stack's
// lock, as stacks.Service does (a manual deploy holding the lock holds the hook's deploy
// off), revisions with their state, and the environment. SetImage updates the service in
// the index, as the watcher would once Swarm has the new spec, and answers Unchanged for
// a digest the service already runs.
type fakeStacks struct {
	index *state.Store

	lockMu sync.Mutex
	locks  map[string]*sync.Mutex

	mu        sync.Mutex
	revisions map[string][]api.Revision
	deploys   []api.SetImageRequest // the ones that changed something
	authors   []string
	failWith  error
	// gate, when set, is read once by every SetImage before it deploys: a test holds a
	// deploy in flight until it sends.
	gate chan struct{}
}

func newFakeStacks(index *state.Store) *fakeStacks {
	return &fakeStacks{index: index, locks: map[string]*sync.Mutex{}, revisions: map[string][]api.Revision{}}
}

func (f *fakeStacks) Lock(stack string) func() {
	f.lockMu.Lock()
	l, ok := f.locks[stack]
	if !ok {
		l = &sync.Mutex{}
		f.locks[stack] = l
	}
	f.lockMu.Unlock()
	l.Lock()
	return l.Unlock
}

func (f *fakeStacks) Env(string) (string, bool) { return "prod", true }

func (f *fakeStacks) Revision(stack string, n int) (api.Revision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.revisions[stack] {
		if r.Number == n {
			return r, nil
		}
	}
	return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %s has no revision %d", stack, n)
}

func (f *fakeStacks) setRevisionState(stack string, n int, st, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.revisions[stack] {
		if r.Number == n {
			f.revisions[stack][i].State, f.revisions[stack][i].Reason = st, reason
		}
	}
}

func (f *fakeStacks) SetImage(_ context.Context, stack string, req api.SetImageRequest, author, _ string) (api.SetImageResult, error) {
	if f.gate != nil {
		<-f.gate
	}
	defer f.Lock(stack)()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return api.SetImageResult{}, f.failWith
	}
	svc := f.index.ServiceByName(nil, stack+"_"+req.Service)
	if svc == nil {
		return api.SetImageResult{}, api.Errorf(api.ErrNotFound, "stack %s has no service %s", stack, req.Service)
	}
	current := len(f.revisions[stack])
	if sameImage(serviceImage(svc), req.Image) {
		return api.SetImageResult{DeployResult: api.DeployResult{Stack: stack, Revision: current}, Image: req.Image, Unchanged: true}, nil
	}
	raw := svc.Raw
	spec := *raw.Spec.TaskTemplate.ContainerSpec
	spec.Image = req.Image
	raw.Spec.TaskTemplate.ContainerSpec = &spec
	raw.Spec.Labels = maps.Clone(raw.Spec.Labels)
	raw.Spec.Labels["io.exos.stack.revision"] = strconv.Itoa(current + 1)
	raw.Version.Index++
	now := time.Now()
	raw.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateUpdating, StartedAt: &now}
	if err := f.index.UpsertServices(state.NewService(raw)); err != nil {
		return api.SetImageResult{}, err
	}
	rev := api.Revision{Stack: stack, Number: current + 1, Author: author, State: api.RevisionApplied, Images: map[string]string{req.Service: req.Image}}
	f.revisions[stack] = append(f.revisions[stack], rev)
	f.deploys = append(f.deploys, req)
	f.authors = append(f.authors, author)
	return api.SetImageResult{DeployResult: api.DeployResult{Stack: stack, Revision: rev.Number}, Image: req.Image}, nil
}

func (f *fakeStacks) deployed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, d := range f.deploys {
		out = append(out, d.Service+"="+d.Image)
	}
	return out
}

// fakeAudit keeps the audit events.
type fakeAudit struct {
	mu     sync.Mutex
	events []api.AuditEvent
}

func (f *fakeAudit) Record(_ context.Context, e api.AuditEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, e)
	return nil
}

// deployRig: stack "shop" with services web and worker running reg:5000/shop/app:1 and
// db running docker.io/library/postgres:16; the registry has app tags 1, 2 and 3.
type deployRig struct {
	d        *Deploys
	index    *state.Store
	stacks   *fakeStacks
	resolver *fakeResolver
	audit    *fakeAudit
	objects  *storedObjects
}

const (
	appRepo = "reg:5000/shop/app"
	digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	digest3 = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
)

func newDeployRig(t *testing.T) *deployRig {
	t.Helper()
	index := state.New()
	services := map[string]string{"web": appRepo + ":1@" + digest1, "worker": appRepo + ":1@" + digest1, "db": "postgres:16@" + digest3}
	i := 0
	for name, image := range services {
		i++
		replicas := uint64(2)
		svc := swarm.Service{ID: fmt.Sprintf("svc%d", i), Meta: swarm.Meta{Version: swarm.Version{Index: 10}}}
		svc.Spec.Name = "shop_" + name
		svc.Spec.Labels = map[string]string{"com.docker.stack.namespace": "shop"}
		svc.Spec.Mode.Replicated = &swarm.ReplicatedService{Replicas: &replicas}
		svc.Spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: image}
		assert.NilError(t, index.UpsertServices(state.NewService(svc)))
	}
	r := &deployRig{
		index: index, stacks: newFakeStacks(index), audit: &fakeAudit{}, objects: newStoredObjects(),
		resolver: &fakeResolver{tags: map[string]string{appRepo + ":1": digest1, appRepo + ":2": digest2, appRepo + ":3": digest3}},
	}
	r.d = NewDeploys(DeployConfig{
		Registry: NewRegistry(r.objects, time.Now), Objects: r.objects, Resolver: r.resolver, Deployer: r.stacks,
		Stacks: r.stacks, Swarm: index, Audit: r.audit, Now: time.Now, Log: slog.New(slog.DiscardHandler),
	})
	return r
}

func (r *deployRig) hook(t *testing.T, req api.HookCreateRequest) api.HookSecret {
	t.Helper()
	req.Kind = api.HookKindDeploy
	if req.Stack == "" {
		req.Stack = "shop"
	}
	h, err := r.d.CreateHook(context.Background(), req, "carol", "10.0.0.7:41000")
	assert.NilError(t, err)
	return h
}

func (r *deployRig) deliver(h api.HookSecret, query, body string) (Delivery, error) {
	q, _ := url.ParseQuery(query)
	return r.d.Deliver(context.Background(), h.ID, h.Token, "10.0.0.9:5000", q, []byte(body))
}

// runTasks starts, in the index, the service's tasks on its current image, as Swarm
// would once the rollout is done, and marks the update completed.
func (r *deployRig) runTasks(t *testing.T, name string) {
	t.Helper()
	svc := r.index.ServiceByName(nil, name)
	raw := svc.Raw
	raw.Version.Index++
	if raw.UpdateStatus != nil {
		u := *raw.UpdateStatus
		u.State = swarm.UpdateStateCompleted
		raw.UpdateStatus = &u
	}
	assert.NilError(t, r.index.UpsertServices(state.NewService(raw)))
	for slot := 1; slot <= int(*raw.Spec.Mode.Replicated.Replicas); slot++ {
		task := swarm.Task{ID: fmt.Sprintf("%s.%d.%d", svc.ID, slot, raw.Version.Index), ServiceID: svc.ID, Slot: slot, DesiredState: swarm.TaskStateRunning}
		task.Status.State = swarm.TaskStateRunning
		task.Spec.ContainerSpec = &swarm.ContainerSpec{Image: serviceImage(svc)}
		assert.NilError(t, r.index.UpsertTasks(state.NewTask(task, svc.Stack)))
	}
	for _, old := range r.index.TasksByService(nil, svc.ID) {
		if c := old.Raw.Spec.ContainerSpec; c != nil && c.Image != serviceImage(svc) {
			assert.NilError(t, r.index.DeleteTask(old.ID))
		}
	}
}

// rollBack is Swarm rolling service name of stack shop back, and the stack service
// marking revision rev failed for it, as rollouts.go does.
func (r *deployRig) rollBack(t *testing.T, name string, rev int) {
	t.Helper()
	raw := r.index.ServiceByName(nil, name).Raw
	raw.Version.Index++
	u := *raw.UpdateStatus
	u.State, u.Message = "rollback_completed", "rollback completed"
	raw.UpdateStatus = &u
	assert.NilError(t, r.index.UpsertServices(state.NewService(raw)))
	r.stacks.setRevisionState("shop", rev, api.RevisionFailed, "service "+name+": Swarm rolled the update back: update paused due to failure or early termination of task x")
}

func (r *deployRig) status(t *testing.T, h api.HookSecret, id string) api.Deployment {
	t.Helper()
	st, err := r.d.Status(h.ID, h.Token, id)
	assert.NilError(t, err)
	return st
}

func (r *deployRig) outcomes(hook string) []string {
	var out []string
	for _, rec := range r.d.DeployHistory(hook, "") {
		out = append(out, rec.Outcome)
	}
	return out
}

func pinned(tag, digest string) string { return appRepo + ":" + tag + "@" + digest }

func registryBody(id, repo, tag, digest string) string {
	named, _ := reference.ParseNormalizedNamed(repo)
	return fmt.Sprintf(`{"events":[{"id":%q,"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
		`"repository":%q,"tag":%q,"digest":%q},"request":{"host":%q}}]}`, id, reference.Path(named), tag, digest, reference.Domain(named))
}

func hasToken(s, token string) bool { return strings.Contains(s, token) }
