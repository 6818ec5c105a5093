package stacks

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const webCompose = `services:
  web:
    image: exos/busybox:1
    command: sleep 3600
`

// fakeDeployer records what it is asked to do; calls is the order of every call.
type fakeDeployer struct {
	calls       []string
	checkErr    error
	applied     map[string]int // stack -> revision applied
	appliedFunc func(stack string) (int, bool, error)
	last        *composeext.Stack // the stack of the last Apply
}

func (f *fakeDeployer) Check(_ context.Context, st *composeext.Stack) error {
	f.calls = append(f.calls, "check "+st.Name)
	return f.checkErr
}

func (f *fakeDeployer) Apply(_ context.Context, st *composeext.Stack, rev int) ([]exswarm.Change, error) {
	f.calls = append(f.calls, "apply "+st.Name)
	f.applied[st.Name] = rev
	f.last = st
	var out []exswarm.Change
	for _, s := range st.Services {
		out = append(out, exswarm.Change{Service: s.Spec.Name, Action: "created"})
	}
	return out, nil
}

func (f *fakeDeployer) Remove(_ context.Context, stack string) error {
	f.calls = append(f.calls, "remove "+stack)
	delete(f.applied, stack)
	return nil
}

func (f *fakeDeployer) AppliedRevision(_ context.Context, st *composeext.Stack) (int, bool, error) {
	return f.appliedFunc(st.Name)
}

// fakeObjects is an in-memory persist store that logs writes into the deployer's call list,
// so tests can check that a revision is stored before it is applied.
type fakeObjects struct {
	objs map[string]persist.Object
	log  *[]string
}

func (f *fakeObjects) Create(_ context.Context, kind, name string, data []byte, labels map[string]string) error {
	if _, ok := f.objs[kind+"/"+name]; ok {
		return persist.ErrExists
	}
	return f.Put(context.Background(), kind, name, data, labels)
}

func (f *fakeObjects) Put(_ context.Context, kind, name string, data []byte, labels map[string]string) error {
	*f.log = append(*f.log, "store "+kind+" "+name)
	f.objs[kind+"/"+name] = persist.Object{Kind: kind, Name: name, Data: data, Labels: labels}
	return nil
}

func (f *fakeObjects) List(_ context.Context, kind string) ([]persist.Object, error) {
	var out []persist.Object
	for _, o := range f.objs {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

type fixture struct {
	svc      *Service
	store    *state.Store
	deployer *fakeDeployer
	objects  *fakeObjects
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := &fakeDeployer{applied: map[string]int{}}
	objects := &fakeObjects{objs: map[string]persist.Object{}, log: &d.calls}
	store := state.New()
	now := func() time.Time { return time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC) }
	return &fixture{svc: New(store, objects, d, now), store: store, deployer: d, objects: objects}
}

func deployReq(compose string) api.DeployRequest {
	return api.DeployRequest{ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: compose}}}
}

func TestDeployStoresTheRevisionBeforeApplyingIt(t *testing.T) {
	f := newFixture(t)
	res, err := f.svc.Deploy(context.Background(), "shop", deployReq(webCompose), "admin", "10.0.0.9:5000")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 1))
	assert.Check(t, is.DeepEqual(res.Services, []api.ServiceChange{{Name: "shop_web", Action: "created"}}))
	assert.Check(t, is.DeepEqual(f.deployer.calls, []string{"check shop", "store revision shop.1", "apply shop"}))

	res, err = f.svc.Deploy(context.Background(), "shop", deployReq(webCompose), "admin", "10.0.0.9:5000")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))

	rev, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Author, "admin"))
	assert.Check(t, is.Equal(rev.RemoteAddr, "10.0.0.9:5000"))
	assert.Check(t, is.Equal(rev.ComposeFiles[0].Content, webCompose))
	assert.Check(t, is.DeepEqual(rev.Images, map[string]string{"web": "exos/busybox:1"}))
}

func TestBadInputChangesNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		req     api.DeployRequest
		problem string
	}{
		"unknown key":    {deployReq("services:\n  web:\n    image: x\n    imgae: y\n"), "imgae"},
		"malformed yaml": {deployReq("services:\n  web:\n   image: [\n"), "docker-compose.yml"},
		"unknown env":    {api.DeployRequest{ComposeFiles: deployReq(webCompose).ComposeFiles, Env: "prod"}, `environment "prod" does not exist`},
		"missing var":    {deployReq("services:\n  web:\n    image: ${IMAGE}\n"), "IMAGE"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.Deploy(context.Background(), "shop", tc.req, "admin", "")
			assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
			assert.Check(t, is.ErrorContains(err, tc.problem))
			assert.Check(t, is.Len(f.deployer.calls, 0), "nothing stored or applied")
		})
	}
}

func TestAConflictFoundByCheckStoresNothing(t *testing.T) {
	f := newFixture(t)
	f.deployer.checkErr = errors.New("external network front not found")
	_, err := f.svc.Deploy(context.Background(), "shop", deployReq(webCompose), "admin", "")
	assert.Check(t, is.ErrorContains(err, "front not found"))
	assert.Check(t, is.DeepEqual(f.deployer.calls, []string{"check shop"}))
}

func TestReservedAndInvalidStackNames(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"exos", "bad name", "-x", strings.Repeat("a", 31)} {
		_, err := f.svc.Deploy(context.Background(), name, deployReq(webCompose), "admin", "")
		assert.Check(t, is.ErrorIs(err, api.ErrInvalid), name)
	}
}

func TestRollbackRedeploysAnOldRevisionAsANewOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.Deploy(ctx, "shop", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	_, err = f.svc.Deploy(ctx, "shop", deployReq(strings.Replace(webCompose, "busybox:1", "busybox:2", 1)), "admin", "")
	assert.NilError(t, err)

	res, err := f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 3))
	rev, err := f.svc.Revision("shop", 3)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.RollbackOf, 1))
	assert.Check(t, is.Equal(rev.Images["web"], "exos/busybox:1"))

	_, err = f.svc.Rollback(ctx, "shop", 9, "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestNumberingContinuesAfterARemoval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.Deploy(ctx, "shop", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	assert.NilError(t, f.svc.Remove(ctx, "shop"))
	assert.Check(t, is.Contains(f.deployer.calls, "store stack-removed shop"))

	// A fresh service (as after a restart) reads the removal back from the store.
	g := &fixture{store: state.New(), deployer: f.deployer, objects: f.objects}
	g.svc = New(g.store, g.objects, g.deployer, time.Now)
	assert.NilError(t, g.svc.Load(ctx))
	res, err := g.svc.Deploy(ctx, "shop", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))
}

func TestRecoverFinishesInterruptedWork(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.Deploy(ctx, "shop", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	_, err = f.svc.Deploy(ctx, "blog", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	assert.NilError(t, f.svc.Remove(ctx, "blog"))

	// After a crash: shop's revision 1 was stored but only half applied, and blog's
	// removal was recorded but its service is still there.
	g := &fixture{store: state.New(), deployer: f.deployer, objects: f.objects}
	g.svc = New(g.store, g.objects, g.deployer, time.Now)
	assert.NilError(t, g.svc.Load(ctx))
	blogSvc := swarm.Service{ID: "b1", Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "blog_web", Labels: map[string]string{"com.docker.stack.namespace": "blog"}}}}
	assert.NilError(t, g.store.UpsertServices(state.NewService(blogSvc)))
	g.deployer.calls = nil
	g.deployer.appliedFunc = func(stack string) (int, bool, error) { return 1, false, nil }

	assert.NilError(t, g.svc.Recover(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))))
	assert.Check(t, is.DeepEqual(g.deployer.calls, []string{"remove blog", "apply shop"}))

	// Nothing to do when every service carries the latest revision.
	g.deployer.calls = nil
	g.deployer.appliedFunc = func(stack string) (int, bool, error) { return 1, true, nil }
	g.store.DeleteService("b1")
	assert.NilError(t, g.svc.Recover(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))))
	assert.Check(t, is.Len(g.deployer.calls, 0))
}

// A binary secret file reaches the converter intact and is never written into the stored
// revision; a rollback to that revision says why it cannot be done.
func TestSecretAttachmentsAreWithheldFromRevisions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	key := []byte{0xff, 0x00, 0x13, 0x37}
	req := deployReq(webCompose + "    secrets: [tls_key]\nsecrets:\n  tls_key:\n    file: ./tls.key\n")
	req.Attachments = []api.File{api.NewFile("./tls.key", key)}
	_, err := f.svc.Deploy(ctx, "shop", req, "admin", "")
	assert.NilError(t, err)

	rev, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Attachments, []api.File{{Name: "./tls.key", Withheld: true}}))
	stored := f.objects.objs["revision/shop.1"].Data
	assert.Check(t, !strings.Contains(string(stored), string(key)) && !strings.Contains(string(stored), "/wATNw=="))

	_, err = f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.ErrorContains(err, "./tls.key"))
}
