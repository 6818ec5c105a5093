package envs

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

type fakeObjects struct{ objs map[string]persist.Object }

func (f *fakeObjects) Put(_ context.Context, kind, name string, data []byte, _ map[string]string) error {
	f.objs[name] = persist.Object{Kind: kind, Name: name, Data: data}
	return nil
}

func (f *fakeObjects) Delete(_ context.Context, _, name string) error {
	delete(f.objs, name)
	return nil
}

func (f *fakeObjects) List(context.Context, string) ([]persist.Object, error) {
	var out []persist.Object
	for _, o := range f.objs {
		out = append(out, o)
	}
	return out, nil
}

// fakeNodes is a node API over a map; outOfSequence makes the next updates fail as when
// another writer bumped the node's version.
type fakeNodes struct {
	nodes         map[string]swarm.Node
	outOfSequence int
}

func (f *fakeNodes) NodeInspectWithRaw(_ context.Context, id string) (swarm.Node, []byte, error) {
	n, ok := f.nodes[id]
	if !ok {
		return swarm.Node{}, nil, errors.New("no such node")
	}
	return n, nil, nil
}

func (f *fakeNodes) NodeUpdate(_ context.Context, id string, version swarm.Version, spec swarm.NodeSpec) error {
	if f.outOfSequence > 0 {
		f.outOfSequence--
		return errors.New("rpc error: code = Unknown desc = update out of sequence")
	}
	n := f.nodes[id]
	if version != n.Version {
		return errors.New("update out of sequence")
	}
	n.Spec, n.Version.Index = spec, n.Version.Index+1
	f.nodes[id] = n
	return nil
}

func newTestService(t *testing.T) (*Service, *state.Store, *fakeNodes) {
	t.Helper()
	store := state.New()
	nodes := &fakeNodes{nodes: map[string]swarm.Node{}}
	for _, host := range []string{"node1", "node2"} {
		n := swarm.Node{ID: "id-" + host, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Description: swarm.NodeDescription{Hostname: host}}
		nodes.nodes[n.ID] = n
		assert.NilError(t, store.UpsertNodes(state.NewNode(n)))
	}
	now := func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	return New(store, &fakeObjects{objs: map[string]persist.Object{}}, nodes, now), store, nodes
}

func TestCreateValidatesAndRefusesDuplicates(t *testing.T) {
	s, _, _ := newTestService(t)
	ctx := context.Background()
	env, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "prod", Description: "Production"})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(env.NodeLabel, "io.exos.env.prod"))
	assert.Check(t, is.DeepEqual(env.Nodes, []string{}))

	_, err = s.Create(ctx, api.EnvironmentCreateRequest{Name: "prod"})
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	for _, bad := range []string{"", "Prod", "has space", "-x", "a.b"} {
		_, err = s.Create(ctx, api.EnvironmentCreateRequest{Name: bad})
		assert.Check(t, is.ErrorIs(err, api.ErrInvalid), bad)
	}
}

func TestNodesJoinAndLeaveThroughTheirLabel(t *testing.T) {
	s, _, nodes := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "qa"})
	assert.NilError(t, err)

	nodes.outOfSequence = 2 // a concurrent writer: the label is retried, not lost
	env, err := s.AddNode(ctx, "qa", "node2")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{"node2"}))
	assert.Check(t, is.Equal(nodes.nodes["id-node2"].Spec.Labels["io.exos.env.qa"], "true"))

	env, err = s.AddNode(ctx, "qa", "id-node1") // by ID too
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{"node1", "node2"}))

	env, err = s.RemoveNode(ctx, "qa", "node2", false)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{"node1"}))

	_, err = s.AddNode(ctx, "qa", "node9")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	_, err = s.AddNode(ctx, "nope", "node1")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestRemoveRefusesWhileStacksRunAndUnlabelsNodes(t *testing.T) {
	s, store, nodes := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "dev"})
	assert.NilError(t, err)
	_, err = s.AddNode(ctx, "dev", "node1")
	assert.NilError(t, err)
	svc := swarm.Service{ID: "s1", Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "shop_web",
		Labels: map[string]string{"com.docker.stack.namespace": "shop", "io.exos.env": "dev"}}}}
	assert.NilError(t, store.UpsertServices(state.NewService(svc)))

	err = s.Remove(ctx, "dev")
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	assert.Check(t, is.ErrorContains(err, "shop"))

	assert.NilError(t, store.DeleteService("s1"))
	assert.NilError(t, s.Remove(ctx, "dev"))
	assert.Check(t, is.Equal(nodes.nodes["id-node1"].Spec.Labels["io.exos.env.dev"], ""))
	_, err = s.Inspect("dev")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestRemoveNodeRefusesTheLastNodeOfAnEnvironmentWithStacks(t *testing.T) {
	s, store, nodes := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "prod"})
	assert.NilError(t, err)
	for _, n := range []string{"node1", "node2"} {
		_, err = s.AddNode(ctx, "prod", n)
		assert.NilError(t, err)
	}
	for i, stack := range []string{"web", "shop"} {
		svc := swarm.Service{ID: fmt.Sprint("s", i), Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: stack + "_app",
			Labels: map[string]string{"com.docker.stack.namespace": stack, "io.exos.env": "prod"}}}}
		assert.NilError(t, store.UpsertServices(state.NewService(svc)))
	}

	env, err := s.RemoveNode(ctx, "prod", "node2", false) // not the last one
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{"node1"}))

	_, err = s.RemoveNode(ctx, "prod", "node1", false)
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	assert.Check(t, is.Error(err, `node "node1" is the last node of environment "prod": removing it stops every task of its stacks (shop, web); add another node first, or pass --force`))
	assert.Check(t, is.Equal(nodes.nodes["id-node1"].Spec.Labels["io.exos.env.prod"], "true"), "nothing changed")

	env, err = s.RemoveNode(ctx, "prod", "node1", true)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{}))
	assert.Check(t, is.Equal(nodes.nodes["id-node1"].Spec.Labels["io.exos.env.prod"], ""))
}

func TestRemoveNodeTakesTheLastNodeOfAnEnvironmentWithoutStacks(t *testing.T) {
	s, _, _ := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "qa"})
	assert.NilError(t, err)
	_, err = s.AddNode(ctx, "qa", "node1")
	assert.NilError(t, err)
	env, err := s.RemoveNode(ctx, "qa", "node1", false)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(env.Nodes, []string{}))
}

func TestRemoveNodeRefusesANodeThatIsNotAMember(t *testing.T) {
	s, _, nodes := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "qa"})
	assert.NilError(t, err)
	_, err = s.AddNode(ctx, "qa", "node1")
	assert.NilError(t, err)
	for _, force := range []bool{false, true} {
		_, err = s.RemoveNode(ctx, "qa", "node2", force)
		assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
		assert.Check(t, is.Error(err, `node "node2" is not a member of environment "qa" (its nodes: node1); nothing changed`))
	}
	_, hasLabels := nodes.nodes["id-node2"].Spec.Labels["io.exos.env.qa"]
	assert.Check(t, !hasLabels)
}

func TestLabelGivesUpAfterRepeatedConflicts(t *testing.T) {
	s, _, nodes := newTestService(t)
	ctx := context.Background()
	_, err := s.Create(ctx, api.EnvironmentCreateRequest{Name: "qa"})
	assert.NilError(t, err)
	nodes.outOfSequence = 100
	_, err = s.AddNode(ctx, "qa", "node1")
	assert.Check(t, is.ErrorContains(err, "failed to label node node1: rpc error: code = Unknown desc = update out of sequence"))
	assert.Check(t, is.Equal(nodes.outOfSequence, 95), "five attempts")
}
