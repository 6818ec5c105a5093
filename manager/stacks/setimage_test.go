package stacks

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries"
	"github.com/exos-platform/exos/manager/registries/registrytest"
)

const registryPassword = "Stack-registry-s3cret"

// privateFixture is a stack service over an in-memory swarm whose deploys use a real
// docker-registry holding team/app:1 and team/app:2.
type privateFixture struct {
	*fixture
	addr       string
	one, two   string // digests
	registries *registries.Service
}

func newPrivateFixture(t *testing.T) *privateFixture {
	t.Helper()
	addr, ca := registrytest.Start(t, registryPassword)
	f := &privateFixture{fixture: newFixture(t), addr: addr}
	f.one = registrytest.PushRandom(t, addr, ca, registryPassword, "team/app:1", 256).String()
	f.two = registrytest.PushRandom(t, addr, ca, registryPassword, "team/app:2", 256).String()
	regs, err := registries.New(f.store, persist.New(f.engine), bytes.Repeat([]byte{7}, 32), time.Now)
	assert.NilError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	closed := l.Addr().String()
	l.Close()
	for _, req := range []api.RegistryAddRequest{
		{Name: "ci", URL: addr, Username: registrytest.User, Password: registryPassword, CA: ca},
		{Name: "gone", URL: closed, Username: registrytest.User, Password: registryPassword, CA: ca},
	} {
		_, err := regs.Add(context.Background(), req, "admin", "")
		assert.NilError(t, err)
	}
	f.registries = regs
	f.svc.UseRegistries(regs)
	return f
}

func (f *privateFixture) compose(tag string) string {
	return `services:
  web:
    image: ` + f.addr + `/team/app:` + tag + `
    command: sleep 3600
    healthcheck:
      test: ["CMD", "true"]
      interval: 10s
      retries: 4
      start_period: 20s
    deploy:
      update_config: {monitor: 30s, parallelism: 2}
  side:
    image: exos/busybox:1
    command: sleep 3600
`
}

func (f *privateFixture) spec(t *testing.T, name string) swarm.ServiceSpec {
	t.Helper()
	for _, s := range f.engine.Services {
		if s.Spec.Name == name {
			return s.Spec
		}
	}
	t.Fatalf("no service %s on the swarm", name)
	return swarm.ServiceSpec{}
}

// noCredentialsStored fails if an EXOS record holds the password or the encoded auth.
func (f *privateFixture) noCredentialsStored(t *testing.T) {
	t.Helper()
	auth, err := f.registries.EncodedAuth(f.addr+"/team/app:1", "")
	assert.NilError(t, err)
	for _, c := range f.engine.Configs {
		assert.Check(t, !bytes.Contains(c.Spec.Data, []byte(registryPassword)), "config %s holds the password", c.Spec.Name)
		assert.Check(t, !bytes.Contains(c.Spec.Data, []byte(auth)), "config %s holds the registry auth", c.Spec.Name)
	}
}

func TestDeploysOfAKnownRegistryPinTheDigestAndPassTheCredentials(t *testing.T) {
	f := newPrivateFixture(t)
	res := f.deploy(t, "shop", f.compose("1"))
	assert.Check(t, is.Equal(res.Revision, 1))

	web := f.spec(t, "shop_web")
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:1@"+f.one))
	assert.Check(t, is.Equal(web.Labels["com.docker.stack.image"], f.addr+"/team/app:1"), "the label names the image as the file does, as docker stack deploy's")
	assert.Check(t, is.Equal(f.spec(t, "shop_side").TaskTemplate.ContainerSpec.Image, "exos/busybox:1"), "an image of no known registry stays as it is")
	sent, err := registry.DecodeAuthConfig(f.engine.RegistryAuth["shop_web"])
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(*sent, registry.AuthConfig{Username: registrytest.User, Password: registryPassword, ServerAddress: f.addr}))
	_, sentForSide := f.engine.RegistryAuth["shop_side"]
	assert.Check(t, !sentForSide)

	rev, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Images, map[string]string{"web": f.addr + "/team/app:1@" + f.one, "side": "exos/busybox:1"}))
	f.noCredentialsStored(t)
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0), "the pinned image is what the revision deployed")

	// The same files again: the tag still has its digest, so nothing restarts.
	res = f.deploy(t, "shop", f.compose("1"))
	assert.Check(t, is.DeepEqual(res.Services, []api.ServiceChange{{Name: "shop_side", Action: "unchanged"}, {Name: "shop_web", Action: "unchanged"}}))

	// A tag the registry lacks, or a registry that does not answer: nothing changes.
	f.engine.Mutations() // forget the deploy's
	_, err = f.svc.Deploy(context.Background(), "shop", deployReq(f.compose("9")), "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrUnprocessable))
	assert.Check(t, is.ErrorContains(err, `has no tag "9"`))
	gone := strings.Replace(f.compose("1"), f.addr, f.registryURL(t, "gone"), 1)
	_, err = f.svc.Deploy(context.Background(), "shop", deployReq(gone), "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrBadGateway))
	assert.Check(t, is.Len(f.engine.Mutations(), 0), "nothing stored or applied")
}

func (f *privateFixture) registryURL(t *testing.T, name string) string {
	reg, err := f.registries.Inspect(name)
	assert.NilError(t, err)
	return reg.URL
}

func TestSetImageDeploysOneServiceAtADigestAsARevision(t *testing.T) {
	f := newPrivateFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("1"))
	f.syncIndex(t)

	res, err := f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/app:2"}, "ci-bot", "10.0.0.7:1")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))
	assert.Check(t, !res.Unchanged)
	assert.Check(t, is.Equal(res.Image, f.addr+"/team/app:2@"+f.two))
	web := f.spec(t, "shop_web")
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:2@"+f.two))
	assert.Check(t, is.DeepEqual(*web.UpdateConfig, swarm.UpdateConfig{Parallelism: 2, Monitor: 30 * time.Second}), "not guarded: the file's update config")
	assert.Check(t, is.Equal(f.spec(t, "shop_side").TaskTemplate.ContainerSpec.Image, "exos/busybox:1"))
	rev, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Author, "ci-bot"))
	assert.Check(t, is.Equal(rev.Images["web"], f.addr+"/team/app:2@"+f.two))
	assert.Check(t, is.DeepEqual(rev.ImageOverrides, map[string]api.ImageOverride{"web": {Image: f.addr + "/team/app:2"}}))
	f.noCredentialsStored(t)
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0))

	// The same digest again (by the full service name): no revision, no write.
	f.engine.Mutations() // forget the deploy's
	res, err = f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "shop_web", Image: f.addr + "/team/app:2"}, "ci-bot", "")
	assert.NilError(t, err)
	assert.Check(t, res.Unchanged)
	assert.Check(t, is.Equal(res.Revision, 2))
	assert.Check(t, is.Len(f.engine.Mutations(), 0))

	// Guarded: start-first, roll back on failure, monitor the healthcheck's window
	// (20s + 10s x 4 = 60s, more than the file's 30s).
	res, err = f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/app@" + f.one, Guarded: true}, "hook:1", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 3))
	web = f.spec(t, "shop_web")
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Image, f.addr+"/team/app@"+f.one))
	assert.Check(t, is.DeepEqual(*web.UpdateConfig, swarm.UpdateConfig{Parallelism: 2, Order: swarm.UpdateOrderStartFirst, FailureAction: swarm.UpdateFailureActionRollback, Monitor: time.Minute}))
	assert.Check(t, is.DeepEqual(*web.RollbackConfig, swarm.UpdateConfig{Parallelism: 1, Order: swarm.UpdateOrderStartFirst, FailureAction: swarm.UpdateFailureActionPause, Monitor: time.Minute}))
	f.syncIndex(t)
	assert.Check(t, is.Len(f.svc.Drift("shop"), 0), "the guarded config is the revision's")

	// A rollback to revision 2 puts back its override and digest, unguarded.
	_, err = f.svc.Rollback(ctx, "shop", 2, "admin", "")
	assert.NilError(t, err)
	web = f.spec(t, "shop_web")
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:2@"+f.two))
	assert.Check(t, is.DeepEqual(*web.UpdateConfig, swarm.UpdateConfig{Parallelism: 2, Monitor: 30 * time.Second}))
	assert.Check(t, is.Nil(web.RollbackConfig))

	// A deploy of files drops the override.
	f.deploy(t, "shop", f.compose("1"))
	assert.Check(t, is.Equal(f.spec(t, "shop_web").TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:1@"+f.one))
	rev, err = f.svc.Revision("shop", 5)
	assert.NilError(t, err)
	assert.Check(t, is.Len(rev.ImageOverrides, 0))
}

func TestSetImageErrorsChangeNothing(t *testing.T) {
	f := newPrivateFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("1"))
	f.syncIndex(t)
	f.engine.Mutations() // forget the deploy's
	for _, tc := range []struct {
		stack, service, image string
		kind                  error
		msg                   string
	}{
		{"nope", "web", f.addr + "/team/app:2", api.ErrNotFound, `stack "nope" has no revisions`},
		{"shop", "db", f.addr + "/team/app:2", api.ErrNotFound, `no service "db" (it has side, web)`},
		{"shop", "web", "Bad::Ref", api.ErrInvalid, "is no image reference"},
		{"shop", "web", f.addr + "/team/app:9", api.ErrUnprocessable, `has no tag "9"`},
		{"shop", "web", f.registryURL(t, "gone") + "/team/app:2", api.ErrBadGateway, "retry"},
		{"exos", "manager", "x:1", api.ErrInvalid, "EXOS manager"},
	} {
		_, err := f.svc.SetImage(ctx, tc.stack, api.SetImageRequest{Service: tc.service, Image: tc.image}, "admin", "")
		assert.Check(t, is.ErrorIs(err, tc.kind), tc.image)
		assert.Check(t, is.ErrorContains(err, tc.msg), tc.image)
		if err != nil {
			assert.Check(t, !strings.Contains(err.Error(), registryPassword))
		}
	}
	assert.Check(t, is.Len(f.engine.Mutations(), 0), "nothing stored or applied")
	history, err := f.svc.History("shop")
	assert.NilError(t, err)
	assert.Check(t, is.Len(history, 1))
}

// An image of no known registry is set as given, and a tag already running is a no-op.
func TestSetImageOfAnImageOfNoKnownRegistry(t *testing.T) {
	f := newPrivateFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("1"))
	f.syncIndex(t)
	res, err := f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "side", Image: "exos/busybox:1"}, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, res.Unchanged)
	res, err = f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "side", Image: "exos/busybox:2"}, "admin", "")
	assert.NilError(t, err)
	side := f.spec(t, "shop_side")
	assert.Check(t, is.Equal(side.TaskTemplate.ContainerSpec.Image, "exos/busybox:2"))
	assert.Check(t, is.Equal(side.Labels["com.docker.stack.image"], "exos/busybox:2"), "a later deploy of busybox:1 must see a change")
	assert.Check(t, is.Equal(res.Image, "exos/busybox:2"))
	assert.Check(t, is.Equal(f.spec(t, "shop_web").TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:1@"+f.one), "the other service keeps its digest")
	f.deploy(t, "shop", f.compose("1"))
	assert.Check(t, is.Equal(f.spec(t, "shop_side").TaskTemplate.ContainerSpec.Image, "exos/busybox:1"))
}

// An image that is no reference is left to the Engine, as before registries.
func TestAnImageThatIsNoReferenceIsNotResolved(t *testing.T) {
	f := newPrivateFixture(t)
	stack := &composeext.Stack{Name: "shop", Services: []composeext.Service{{Name: "web", Spec: swarm.ServiceSpec{
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: ""}}}}}}
	platforms, err := f.svc.pinImages(context.Background(), stack, api.Revision{Stack: "shop"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(platforms, 0))
	opts, err := f.svc.swarmOptions(stack, api.Revision{Stack: "shop"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(opts.RegistryAuth, 0))
	assert.Check(t, is.Equal(stack.Services[0].Spec.TaskTemplate.ContainerSpec.Image, ""))
}

// Set-image changes one service's image and nothing else on the swarm, as `docker service
// update --image` would: replicas a user scaled natively stay, another service a user
// changed natively keeps the change, and one a user removed is not created again. Drift
// still tells all three.
func TestSetImageKeepsWhatUsersChangedNatively(t *testing.T) {
	f := newPrivateFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("1")+`  cache:
    image: exos/busybox:1
    command: sleep 3600
`)
	natively := func(name string, change func(*swarm.ServiceSpec)) {
		t.Helper()
		for id, svc := range f.engine.Services {
			if svc.Spec.Name == name {
				change(&svc.Spec)
				svc.Version.Index++
				f.engine.Services[id] = svc
				return
			}
		}
		t.Fatalf("no service %s", name)
	}
	five := uint64(5)
	natively("shop_web", func(s *swarm.ServiceSpec) { s.Mode.Replicated.Replicas = &five })
	natively("shop_side", func(s *swarm.ServiceSpec) {
		s.TaskTemplate.ContainerSpec.Env = append(s.TaskTemplate.ContainerSpec.Env, "DEBUG=1")
	})
	for id, svc := range f.engine.Services {
		if svc.Spec.Name == "shop_cache" {
			delete(f.engine.Services, id)
		}
	}
	f.syncIndex(t)

	_, err := f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/app:2", Guarded: true}, "hook:1", "")
	assert.NilError(t, err)
	web := f.spec(t, "shop_web")
	assert.Check(t, is.Equal(web.TaskTemplate.ContainerSpec.Image, f.addr+"/team/app:2@"+f.two))
	assert.Check(t, is.Equal(*web.Mode.Replicated.Replicas, uint64(5)), "the replicas scaled natively are kept")
	assert.Check(t, is.Equal(web.UpdateConfig.Order, swarm.UpdateOrderStartFirst), "guarded")
	assert.Check(t, is.Equal(web.Labels["com.docker.stack.image"], f.addr+"/team/app:2"))
	assert.Check(t, is.Contains(f.spec(t, "shop_side").TaskTemplate.ContainerSpec.Env, "DEBUG=1"), "another service is left as the user made it")
	for _, svc := range f.engine.Services {
		assert.Check(t, svc.Spec.Name != "shop_cache", "a service removed natively is not created again")
	}
	f.syncIndex(t)
	var drifted []string
	for _, d := range f.svc.Drift("shop") {
		drifted = append(drifted, d.Service)
	}
	assert.Check(t, is.DeepEqual(drifted, []string{"shop_cache", "shop_side", "shop_web"}))
}

// A known registry's credentials are EXOS's: the client's for the same host do not
// replace them.
func TestKnownRegistryCredentialsWinOverTheClients(t *testing.T) {
	f := newPrivateFixture(t)
	req := deployReq(f.compose("1"))
	req.RegistryAuth = map[string]string{f.addr: "Y2xpZW50"}
	_, err := f.svc.Deploy(context.Background(), "shop", req, "admin", "")
	assert.NilError(t, err)
	sent, err := registry.DecodeAuthConfig(f.engine.RegistryAuth["shop_web"])
	assert.NilError(t, err)
	assert.Check(t, is.Equal(sent.Password, registryPassword))
}
