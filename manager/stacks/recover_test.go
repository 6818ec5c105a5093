package stacks

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	exswarm "github.com/exos-platform/exos/manager/swarm"
)

// crashAfterRecord writes a revision as a deploy does and stops before applying it: what
// a manager killed right after its intent record leaves.
func (f *fixture) crashAfterRecord(t *testing.T, name, compose string) {
	t.Helper()
	rev := api.Revision{Stack: name, Author: "admin", ComposeFiles: deployReq(compose).ComposeFiles}
	stack, err := f.svc.convert(context.Background(), rev, nil, nil, false)
	assert.NilError(t, err)
	rev.Number, rev.Images = f.svc.nextRevision(name), stack.Images()
	assert.NilError(t, f.svc.record(context.Background(), rev))
}

// restart is a new manager on the same swarm: it loads the records, indexes the swarm and
// recovers.
func (f *fixture) restart(t *testing.T) *fixture {
	t.Helper()
	g := newFixtureOn(f.engine)
	assert.NilError(t, g.svc.Load(context.Background()))
	g.syncIndex(t)
	assert.NilError(t, g.svc.Recover(context.Background()))
	g.syncIndex(t)
	return g
}

func TestRecoverFinishesAPendingRevision(t *testing.T) {
	f := newFixture(t)
	f.deploy(t, "shop", webCompose)
	f.crashAfterRecord(t, "shop", strings.Replace(webCompose, "3600", "60", 1))

	g := f.restart(t)
	rev, err := g.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionApplied))
	web := g.store.ServicesByStack(nil, "shop")[0]
	assert.Check(t, is.DeepEqual(web.Raw.Spec.TaskTemplate.ContainerSpec.Args, []string{"sleep", "60"}))
	assert.Check(t, is.Equal(web.Revision, 2))
}

// What users did natively stays done: a restart re-applies no applied revision.
func TestRecoverNeverRevertsNativeChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", webCompose+"  db:\n    image: exos/busybox:1\n")
	f.deploy(t, "blog", webCompose)
	for id, svc := range f.engine.Services {
		switch svc.Spec.Name {
		case "shop_db": // docker service rm
			delete(f.engine.Services, id)
		case "shop_web": // docker service update --image
			svc.Spec.TaskTemplate.ContainerSpec.Image = "exos/busybox:2"
			svc.Version.Index++
			f.engine.Services[id] = svc
		case "blog_web": // docker stack rm
			delete(f.engine.Services, id)
		}
	}
	for id, nw := range f.engine.Networks {
		if nw.Labels["com.docker.stack.namespace"] == "blog" {
			delete(f.engine.Networks, id)
		}
	}
	before := f.stackState(t)
	f.engine.Mutations()

	g := f.restart(t)
	assert.Check(t, is.DeepEqual(g.stackState(t), before))
	for _, w := range g.engine.Mutations() {
		assert.Check(t, strings.HasPrefix(w, "Config"), "only EXOS's own records may be written: %s", w)
	}
	drift := g.svc.Drift("shop")
	assert.Check(t, is.DeepEqual(drift, []api.Drift{
		{Service: "shop_db", Kind: api.DriftRemoved},
		{Service: "shop_web", Kind: api.DriftUpdated, Fields: []string{"TaskTemplate.ContainerSpec.Image"}},
	}))
	stacks := g.svc.List(nil, nil)
	assert.Check(t, is.Equal(stacks[0].Name, "blog"))
	assert.Check(t, is.Equal(stacks[0].State, api.StackRemoved), "removed natively shows as removed")

	// A deploy on request brings it back.
	_, err := g.svc.Deploy(ctx, "blog", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
}

func TestRecoverFinishesOnlyAPendingRemoval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", webCompose)
	f.syncIndex(t)
	_, err := f.svc.Remove(ctx, "shop")
	assert.NilError(t, err)
	// Deployed again natively after EXOS removed it: a restart leaves it alone.
	_, err = f.engine.ServiceCreate(ctx, swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "shop_web", Labels: map[string]string{"com.docker.stack.namespace": "shop"}},
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: "exos/busybox:1"}}}, swarm.ServiceCreateOptions{})
	assert.NilError(t, err)
	g := f.restart(t)
	assert.Check(t, is.Len(g.engine.Services, 1))

	// A removal a crash interrupted is finished.
	assert.NilError(t, g.svc.recordRemoval(ctx, "shop", removal{Revision: 1, Pending: true}))
	h := g.restart(t)
	assert.Check(t, is.Len(h.engine.Services, 0))
	_, recorded := h.svc.removalOf("shop")
	assert.Check(t, !recorded, "a finished removal leaves no record")
}

// A deploy whose Nth write fails, for every N (the revision record and its state
// included), leaves the stack's objects as they were, and the revision marked failed
// with what was undone.
func TestADeployFailingAtAnyWriteIsUndoneAndRecorded(t *testing.T) {
	first := webCompose + "  old:\n    image: exos/busybox:1\n"
	second := strings.Replace(webCompose, "3600", "60", 1) + "    networks: [front, default]\n    configs: [app]\n" +
		"  api:\n    image: exos/busybox:1\n    networks: [front]\n" +
		"networks:\n  front: {}\nconfigs:\n  app:\n    file: ./app.conf\n"
	req := deployReq(second)
	req.Prune = true
	req.Attachments = []api.File{api.NewFile("./app.conf", []byte("x=1"))}

	probe := newFixture(t)
	probe.deploy(t, "shop", first)
	probe.engine.Mutations()
	_, err := probe.svc.Deploy(context.Background(), "shop", req, "admin", "")
	assert.NilError(t, err)
	calls := probe.engine.Mutations()
	writes := len(calls)
	t.Logf("%d writes: %v", writes, calls)

	for n := 1; n <= writes; n++ {
		f := newFixture(t)
		f.deploy(t, "shop", first)
		before := f.stackState(t)
		f.engine.FailAt = f.engine.Writes + n

		_, err := f.svc.Deploy(context.Background(), "shop", req, "admin", "")
		assert.Check(t, err != nil, "write %d", n)
		assert.Check(t, is.DeepEqual(f.stackState(t), before), "write %d", n)
		if n == 1 { // the intent record itself: no revision
			assert.Check(t, f.store.Revision(nil, "shop", 2) == nil)
			continue
		}
		rev, err := f.svc.Revision("shop", 2)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(rev.State, api.RevisionFailed), "write %d", n)
		assert.Check(t, is.Contains(rev.Reason, "injected failure"), "write %d", n)
		assert.Check(t, is.Len(rev.Compensated, n-2), "write %d: every stack write before the failed one is undone", n)
		// A restart does not try it again.
		g := f.restart(t)
		assert.Check(t, is.DeepEqual(g.stackState(t), before), "write %d, after a restart", n)
	}
}

func TestAFailedDeployAnswersWithTheEnginesMeaning(t *testing.T) {
	f := newFixture(t)
	f.engine.FailAt = 2 // the service create
	_, err := f.svc.Deploy(context.Background(), "shop", deployReq(webCompose), "admin", "")
	assert.Check(t, is.ErrorContains(err, "revision 1 of stack shop failed"))
	assert.Check(t, is.ErrorContains(err, "nothing had been changed"))
	var applyErr *exswarm.ApplyError
	assert.Check(t, errors.As(err, &applyErr), "the deploy's own error stays reachable")
	assert.Check(t, is.Equal(api.StatusOf(err), 500))
}
