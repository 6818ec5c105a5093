package stacks

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

// withPlatforms does what docker's client does with DistributionInspect.Platforms.
func TestWithPlatformsAsDockersClient(t *testing.T) {
	constrained := func() *swarm.Placement {
		return &swarm.Placement{Constraints: []string{"node.role==worker"}, MaxReplicas: 2}
	}
	for _, tc := range []struct {
		name      string
		placement *swarm.Placement
		platforms []api.Platform
		want      *swarm.Placement
	}{
		{"no platforms, no placement", nil, nil, nil},
		{"no platforms keep the placement", constrained(), []api.Platform{}, constrained()},
		{"none replace none", &swarm.Placement{Platforms: []swarm.Platform{{OS: "windows"}}}, nil, &swarm.Placement{Platforms: []swarm.Platform{{OS: "windows"}}}},
		{"a placement is made", nil, []api.Platform{{OS: "linux", Architecture: "amd64"}}, &swarm.Placement{Platforms: []swarm.Platform{{OS: "linux", Architecture: "amd64"}}}},
		{"the rest of the placement stays", constrained(), []api.Platform{{OS: "linux", Architecture: "arm64", Variant: "v8"}},
			&swarm.Placement{Constraints: []string{"node.role==worker"}, MaxReplicas: 2, Platforms: []swarm.Platform{{OS: "linux", Architecture: "arm64"}}}},
		{"arm loses its architecture, in any case", nil, []api.Platform{{OS: "linux", Architecture: "arm", Variant: "v7"}, {OS: "linux", Architecture: "ARM"}},
			&swarm.Placement{Platforms: []swarm.Platform{{OS: "linux"}, {OS: "linux"}}}},
		{"order and empty entries are kept", &swarm.Placement{Platforms: []swarm.Platform{{OS: "windows"}}},
			[]api.Platform{{OS: "linux", Architecture: "s390x"}, {}, {OS: "unknown", Architecture: "unknown"}, {OS: "linux", Architecture: "amd64"}},
			&swarm.Placement{Platforms: []swarm.Platform{{OS: "linux", Architecture: "s390x"}, {}, {OS: "unknown", Architecture: "unknown"}, {OS: "linux", Architecture: "amd64"}}}},
	} {
		task := swarm.TaskSpec{Placement: tc.placement}
		withPlatforms(&task, tc.platforms)
		assert.Check(t, is.DeepEqual(task.Placement, tc.want), tc.name)
	}
}

// platformFixture is a stack service whose deploys use a real docker-registry holding a
// single-platform image (team/app:1), a two-platform index (team/multi:1) and an image
// that names no platform (team/plain:1). Its Resolve calls are counted.
type platformFixture struct {
	*fixture
	addr     string
	multi    string // the index's digest
	resolver *countingRegistries
}

var (
	amd64 = v1.Platform{OS: "linux", Architecture: "amd64"}
	armv7 = v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
)

func newPlatformFixture(t *testing.T) *platformFixture {
	t.Helper()
	addr, ca := registrytest.Start(t, registryPassword)
	f := &platformFixture{fixture: newFixture(t), addr: addr}
	registrytest.Push(t, addr, ca, registryPassword, "team/app:1", registrytest.PlatformImage(t, amd64))
	registrytest.PushRandom(t, addr, ca, registryPassword, "team/plain:1", 256)
	index := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, amd64), Descriptor: v1.Descriptor{Platform: &amd64}},
		mutate.IndexAddendum{Add: registrytest.PlatformImage(t, armv7), Descriptor: v1.Descriptor{Platform: &armv7}})
	f.multi = registrytest.PushIndex(t, addr, ca, registryPassword, "team/multi:1", index).String()
	regs, err := registries.New(f.store, persist.New(f.engine), bytes.Repeat([]byte{7}, 32), time.Now)
	assert.NilError(t, err)
	_, err = regs.Add(context.Background(), api.RegistryAddRequest{Name: "ci", URL: addr, Username: registrytest.User, Password: registryPassword, CA: ca}, "admin", "")
	assert.NilError(t, err)
	f.resolver = &countingRegistries{Registries: regs}
	f.svc.UseRegistries(f.resolver)
	return f
}

// compose names the images of web, multi and plain (repositories of the registry).
func (f *platformFixture) compose(web, multi, plain string) string {
	return `services:
  web:
    image: ` + f.addr + `/` + web + `
    deploy:
      placement:
        constraints: [node.role==worker]
        preferences: [{spread: node.labels.zone}]
  multi:
    image: ` + f.addr + `/` + multi + `
  plain:
    image: ` + f.addr + `/` + plain + `
  side:
    image: exos/busybox:1
`
}

func (f *platformFixture) spec(t *testing.T, name string) swarm.ServiceSpec {
	t.Helper()
	return (&privateFixture{fixture: f.fixture}).spec(t, name)
}

// platforms are the service's Placement.Platforms on the swarm.
func (f *platformFixture) platforms(t *testing.T, name string) []swarm.Platform {
	t.Helper()
	if p := f.spec(t, name).TaskTemplate.Placement; p != nil {
		return p.Platforms
	}
	return nil
}

// countingRegistries keeps the images the stack service asks a known registry about (an
// image of no known registry costs no call).
type countingRegistries struct {
	Registries
	mu    sync.Mutex
	asked []string
}

func (c *countingRegistries) Resolve(ctx context.Context, image, env string) (string, []api.Platform, bool, error) {
	pinned, platforms, known, err := c.Registries.Resolve(ctx, image, env)
	if known {
		c.mu.Lock()
		c.asked = append(c.asked, image)
		c.mu.Unlock()
	}
	return pinned, platforms, known, err
}

func (c *countingRegistries) forget() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	asked := c.asked
	c.asked = nil
	return asked
}

var (
	onAMD64   = []swarm.Platform{{OS: "linux", Architecture: "amd64"}}
	onBoth    = []swarm.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux"}}
	amd64Only = []api.Platform{{OS: "linux", Architecture: "amd64"}}
	bothOf    = []api.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm", Variant: "v7"}}
)

func TestDeploysPlaceOnTheImagesPlatformsAsDockerStackDeploy(t *testing.T) {
	f := newPlatformFixture(t)
	f.deploy(t, "shop", f.compose("team/app:1", "team/multi:1", "team/plain:1"))
	web := f.spec(t, "shop_web")
	assert.Check(t, is.DeepEqual(*web.TaskTemplate.Placement, swarm.Placement{
		Constraints: []string{"node.role==worker"}, Platforms: onAMD64,
		Preferences: []swarm.PlacementPreference{{Spread: &swarm.SpreadOver{SpreadDescriptor: "node.labels.zone"}}}}))
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_multi"), onBoth))
	assert.Check(t, is.Nil(f.platforms(t, "shop_plain")), "an image that names no platform")
	assert.Check(t, is.Nil(f.platforms(t, "shop_side")), "an image of no known registry")
	rev, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Platforms, map[string][]api.Platform{"web": amd64Only, "multi": bothOf, "plain": {}}))
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))

	res := f.deploy(t, "shop", f.compose("team/app:1", "team/multi:1", "team/plain:1"))
	for _, c := range res.Services {
		assert.Check(t, is.Equal(c.Action, "unchanged"), c.Name)
	}

	// Updates: each service to another kind of image, as docker stack deploy updates them;
	// an image without platforms leaves none from the one before.
	f.deploy(t, "shop", f.compose("team/multi:1", "team/plain:1", "team/app:1"))
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_web"), onBoth))
	assert.Check(t, is.DeepEqual(f.spec(t, "shop_web").TaskTemplate.Placement.Constraints, []string{"node.role==worker"}))
	assert.Check(t, is.Nil(f.platforms(t, "shop_multi")))
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_plain"), onAMD64))
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))
	diff, err := f.svc.Diff(context.Background(), "shop", 1, 3)
	assert.NilError(t, err)
	var paths []string
	for _, svc := range diff.Services {
		for _, field := range svc.Fields {
			paths = append(paths, svc.Service+" "+field.Path)
		}
	}
	assert.Check(t, is.Contains(strings.Join(paths, "\n"), "shop_web TaskTemplate.Placement.Platforms"), "stack diff shows the platforms a revision deployed: %v", paths)
}

func TestSetImageAndRollbackCarryThePlatforms(t *testing.T) {
	f := newPlatformFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("team/app:1", "team/multi:1", "team/plain:1"))
	f.syncIndex(t)

	_, err := f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/plain:1"}, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Nil(f.platforms(t, "shop_web")))
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_multi"), onBoth), "the other services keep theirs")
	rev, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Platforms, map[string][]api.Platform{"web": {}, "multi": bothOf, "plain": {}}))

	f.resolver.forget()
	_, err = f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/multi@" + f.multi, Guarded: true}, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_web"), onBoth), "a digest's platforms, as docker's client asks for them")
	assert.Check(t, is.DeepEqual(f.resolver.forget(), []string{f.addr + "/team/multi@" + f.multi}), "only the image set is asked about")
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))

	_, err = f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Len(f.resolver.forget(), 0), "a rollback deploys what the revision recorded, without the registry")
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_web"), onAMD64))
	rev, err = f.svc.Revision("shop", 4)
	assert.NilError(t, err)
	first, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Platforms, first.Platforms))
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))
}

// A revision recorded before platforms were (its pins, no platforms) converts as it was
// deployed; a rollback to it is a new deploy, which asks for them.
func TestARevisionWithoutPlatformsIsRolledBackWithThem(t *testing.T) {
	f := newPlatformFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("team/app:1", "team/multi:1", "team/plain:1"))
	pinned, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	f.svc.UseRegistries(nil) // as a manager before registries: the files' images as named
	f.deploy(t, "shop", strings.Replace(f.compose("team/app:1", "team/multi:1", "team/plain:1"), f.addr+"/team/app:1", pinned.Images["web"], 1))
	old, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Len(old.Platforms, 0))
	assert.Check(t, is.Nil(f.platforms(t, "shop_web")))
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))

	f.svc.UseRegistries(f.resolver)
	f.resolver.forget()
	_, err = f.svc.Rollback(ctx, "shop", 2, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Contains(f.resolver.forget(), pinned.Images["web"]))
	assert.Check(t, is.DeepEqual(f.platforms(t, "shop_web"), onAMD64))
	rev, err := f.svc.Revision("shop", 3)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Platforms["web"], amd64Only))
}

// Recovery applies a pending revision's recorded platforms; the restarted manager has no
// registries at all.
func TestRecoverAppliesTheRecordedPlatforms(t *testing.T) {
	f := newPlatformFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("team/app:1", "team/multi:1", "team/plain:1"))
	rev := api.Revision{Stack: "shop", Author: "admin", ComposeFiles: deployReq(f.compose("team/multi:1", "team/app:1", "team/plain:1")).ComposeFiles}
	stack, err := f.svc.convert(ctx, rev, nil, nil, false)
	assert.NilError(t, err)
	platforms, err := f.svc.pinImages(ctx, stack, rev)
	assert.NilError(t, err)
	rev.Number, rev.Images, rev.Platforms = f.svc.nextRevision("shop"), stack.Images(), platforms
	assert.NilError(t, f.svc.record(ctx, rev))

	g := f.restart(t)
	recovered, err := g.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(recovered.State, api.RevisionApplied))
	assert.Check(t, is.DeepEqual(recovered.Platforms, map[string][]api.Platform{"web": bothOf, "multi": amd64Only, "plain": {}}))
	for _, svc := range g.store.ServicesByStack(nil, "shop") {
		var got []swarm.Platform
		if p := svc.Raw.Spec.TaskTemplate.Placement; p != nil {
			got = p.Platforms
		}
		want := map[string][]swarm.Platform{"shop_web": onBoth, "shop_multi": onAMD64}[svc.Name]
		assert.Check(t, is.DeepEqual(got, want), svc.Name)
	}
	assert.Check(t, is.Len(g.svc.Drift("shop"), 0))
}

// The record keeps an image recorded without platforms apart from one not recorded.
func TestRevisionDocumentsKeepThePlatforms(t *testing.T) {
	rev := api.Revision{Stack: "shop", Number: 1, Images: map[string]string{"web": "a", "plain": "b", "side": "c"},
		Platforms: map[string][]api.Platform{"web": bothOf, "plain": {}}}
	data, err := persist.EncodeRevision(toDoc(rev))
	assert.NilError(t, err)
	assert.Check(t, is.Contains(string(data), `"plain":[]`))
	doc, err := persist.DecodeRevision(data)
	assert.NilError(t, err)
	back := fromDoc(doc)
	assert.Check(t, is.DeepEqual(back.Platforms, rev.Platforms))
	_, recorded := back.Platforms["plain"]
	assert.Check(t, recorded)

	doc, err = persist.DecodeRevision([]byte(`{"format":1,"stack":"shop","number":1,"images":{"web":"a"}}`))
	assert.NilError(t, err)
	assert.Check(t, is.Nil(fromDoc(doc).Platforms), "a revision stored before platforms were recorded")
}
