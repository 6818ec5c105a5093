package persist

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeConfigs is an in-memory config store that filters by label like the Engine does.
type fakeConfigs struct {
	configs   map[string]swarm.Config
	nextID    int
	createErr error
	// lists counts ConfigList calls; unfiltered those without a kind label filter.
	lists, unfiltered int
}

func newFakeConfigs() *fakeConfigs { return &fakeConfigs{configs: map[string]swarm.Config{}} }

func (f *fakeConfigs) ConfigList(_ context.Context, opts swarm.ConfigListOptions) ([]swarm.Config, error) {
	f.lists++
	if !slices.ContainsFunc(opts.Filters.Get("label"), func(l string) bool { return strings.HasPrefix(l, LabelKind+"=") }) {
		f.unfiltered++
	}
	var out []swarm.Config
	for _, c := range f.configs {
		match := true
		for _, l := range opts.Filters.Get("label") {
			k, v, _ := strings.Cut(l, "=")
			if c.Spec.Labels[k] != v {
				match = false
			}
		}
		if match {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeConfigs) ConfigCreate(_ context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error) {
	if f.createErr != nil {
		return swarm.ConfigCreateResponse{}, f.createErr
	}
	for _, c := range f.configs {
		if c.Spec.Name == spec.Name {
			return swarm.ConfigCreateResponse{}, cerrdefs.ErrConflict.WithMessage("config already exists")
		}
	}
	f.nextID++
	id := strings.Repeat("c", 3) + string(rune('a'+f.nextID))
	f.configs[id] = swarm.Config{ID: id, Spec: spec}
	return swarm.ConfigCreateResponse{ID: id}, nil
}

func (f *fakeConfigs) ConfigInspectWithRaw(_ context.Context, ref string) (swarm.Config, []byte, error) {
	for _, c := range f.configs {
		if c.ID == ref || c.Spec.Name == ref {
			return c, nil, nil
		}
	}
	return swarm.Config{}, nil, cerrdefs.ErrNotFound.WithMessage("no such config")
}

func (f *fakeConfigs) ConfigUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ConfigSpec) error {
	c, ok := f.configs[id]
	if !ok || c.Version != version {
		return errors.New("update out of sequence")
	}
	if !bytes.Equal(c.Spec.Data, spec.Data) {
		return cerrdefs.ErrInvalidArgument.WithMessage("only updates to Labels are allowed")
	}
	c.Spec, c.Version.Index = spec, c.Version.Index+1
	f.configs[id] = c
	return nil
}

// ConfigRemove takes an ID or a name, as the Engine does.
func (f *fakeConfigs) ConfigRemove(_ context.Context, ref string) error {
	for id, c := range f.configs {
		if id == ref || c.Spec.Name == ref {
			delete(f.configs, id)
			return nil
		}
	}
	return cerrdefs.ErrNotFound.WithMessage("no such config")
}

func TestPutReplacesOlderVersions(t *testing.T) {
	ctx := context.Background()
	fake := newFakeConfigs()
	s := New(fake)
	assert.NilError(t, s.Put(ctx, "environment", "dev", []byte(`{"v":1}`), nil))
	assert.NilError(t, s.Put(ctx, "environment", "dev", []byte(`{"v":2}`), map[string]string{"io.exos.x": "y"}))

	assert.Check(t, is.Len(fake.configs, 1))
	objs, err := s.List(ctx, "environment")
	assert.NilError(t, err)
	assert.DeepEqual(t, objs, []Object{{Kind: "environment", Name: "dev", Seq: 2, Labels: map[string]string{"io.exos.x": "y"}, Data: []byte(`{"v":2}`)}})
}

func TestListPrefersNewestWhenACrashLeftTwoVersions(t *testing.T) {
	ctx := context.Background()
	fake := newFakeConfigs()
	s := New(fake)
	assert.NilError(t, s.create(ctx, "environment", "qa", 1, []byte("old"), nil))
	assert.NilError(t, s.create(ctx, "environment", "qa", 2, []byte("new"), nil))

	objs, err := s.List(ctx, "environment")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(objs, 1))
	assert.Check(t, is.Equal(string(objs[0].Data), "new"))

	assert.NilError(t, s.Put(ctx, "environment", "qa", []byte("newer"), nil))
	assert.Check(t, is.Len(fake.configs, 1), "Put removes every older version")
}

func TestCreateRefusesAnExistingObject(t *testing.T) {
	ctx := context.Background()
	s := New(newFakeConfigs())
	assert.NilError(t, s.Create(ctx, "revision", "web.1", []byte("a"), nil))
	err := s.Create(ctx, "revision", "web.1", []byte("b"), nil)
	assert.Check(t, errors.Is(err, ErrExists))
}

func TestPutKeepsTheOldVersionWhenTheWriteFails(t *testing.T) {
	ctx := context.Background()
	fake := newFakeConfigs()
	s := New(fake)
	assert.NilError(t, s.Put(ctx, "environment", "prod", []byte("v1"), nil))
	fake.createErr = errors.New("raft unavailable")
	assert.ErrorContains(t, s.Put(ctx, "environment", "prod", []byte("v2"), nil), "raft unavailable")

	objs, err := s.List(ctx, "environment")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(string(objs[0].Data), "v1"))
}

func TestDataRoundTripsCompressed(t *testing.T) {
	ctx := context.Background()
	fake := newFakeConfigs()
	s := New(fake)
	big := []byte(strings.Repeat("services:\n  web:\n    image: busybox\n", 5000))
	assert.NilError(t, s.Put(ctx, "revision", "shop.1", big, nil))
	for _, c := range fake.configs {
		assert.Check(t, len(c.Spec.Data) < len(big)/10, "stored compressed")
	}
	objs, err := s.List(ctx, "revision")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(objs[0].Data, big))
}

func TestNamesSwarmCannotStoreAreRefused(t *testing.T) {
	s := New(newFakeConfigs())
	err := s.Put(context.Background(), "environment", "bad name!", nil, nil)
	assert.ErrorContains(t, err, `cannot store environment "bad name!"`)
}

func TestSetLabelsChangesOnlyLabels(t *testing.T) {
	ctx := context.Background()
	s := New(newFakeConfigs())
	assert.NilError(t, s.Create(ctx, "revision", "web.1", []byte("body"), map[string]string{"io.exos.state": "pending", "io.exos.keep": "x"}))
	assert.NilError(t, s.SetLabels(ctx, "revision", "web.1", map[string]string{"io.exos.state": "applied", "io.exos.keep": ""}))

	objs, err := s.List(ctx, "revision")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(objs[0].Labels, map[string]string{"io.exos.state": "applied"}))
	assert.Check(t, is.Equal(string(objs[0].Data), "body"))
	assert.Check(t, s.SetLabels(ctx, "revision", "web.2", map[string]string{"a": "b"}) != nil, "a missing object is an error")
}

func TestDeleteNamesRemovesOnlyThoseNamed(t *testing.T) {
	ctx := context.Background()
	f := newFakeConfigs()
	s := New(f)
	for _, name := range []string{"a", "b", "c"} {
		assert.NilError(t, s.Create(ctx, "audit-event", name, []byte(name), nil))
	}
	assert.NilError(t, s.Put(ctx, "environment", "a", []byte("env"), nil))
	assert.NilError(t, s.DeleteNames(ctx, "audit-event", []string{"a", "c", "not-stored"}))
	left, err := s.List(ctx, "audit-event")
	assert.NilError(t, err)
	assert.Check(t, is.Len(left, 1))
	assert.Check(t, is.Equal(left[0].Name, "b"))
	envs, err := s.List(ctx, "environment")
	assert.NilError(t, err)
	assert.Check(t, is.Len(envs, 1), "another kind with the same name stays")
	assert.NilError(t, s.DeleteNames(ctx, "audit-event", nil))
}

func TestGetAndRemoveReachACreatedObjectByName(t *testing.T) {
	ctx := context.Background()
	f := newFakeConfigs()
	s := New(f)
	assert.NilError(t, s.Create(ctx, "revision-archive", "shop.1", []byte("segment"), map[string]string{"io.exos.stack": "shop"}))
	f.lists = 0
	obj, err := s.Get(ctx, "revision-archive", "shop.1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(string(obj.Data), "segment"))
	assert.Check(t, is.DeepEqual(obj.Labels, map[string]string{"io.exos.stack": "shop"}))
	_, err = s.Get(ctx, "revision-archive", "shop.2")
	assert.Check(t, cerrdefs.IsNotFound(err), "a missing object is NotFound: %v", err)

	assert.NilError(t, s.Remove(ctx, "revision-archive", "shop.1"))
	assert.Check(t, is.Len(f.configs, 0))
	assert.NilError(t, s.Remove(ctx, "revision-archive", "shop.1"), "removing what is gone is no error")
	assert.Check(t, is.Equal(f.lists, 0), "no list: the name is known")
}

// Every list the store makes is filtered by kind: none carries every config of the swarm
// (revision bodies, audit segments...).
func TestEveryListIsFilteredByKind(t *testing.T) {
	ctx := context.Background()
	f := newFakeConfigs()
	s := New(f)
	assert.NilError(t, s.Put(ctx, "environment", "dev", []byte("v1"), nil))
	assert.NilError(t, s.Put(ctx, "environment", "dev", []byte("v2"), nil))
	_, err := s.List(ctx, "environment")
	assert.NilError(t, err)
	assert.NilError(t, s.DeleteNames(ctx, "audit-event", []string{"a"}))
	assert.NilError(t, s.Delete(ctx, "environment", "dev"))
	assert.Check(t, f.lists > 0)
	assert.Check(t, is.Equal(f.unfiltered, 0))
}
