package stacks

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	exswarm "github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

const webCompose = `services:
  web:
    image: exos/busybox:1
    command: sleep 3600
`

// fixture is a stack service over an in-memory swarm that holds both the stacks and
// EXOS's own records, as a real swarm does.
type fixture struct {
	svc    *Service
	store  *state.Store
	engine *swarmtest.Engine
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	engine := swarmtest.NewEngine()
	return newFixtureOn(engine)
}

// newFixtureOn starts a stack service on an existing swarm, as a restarted manager does.
func newFixtureOn(engine *swarmtest.Engine) *fixture {
	store := state.New()
	now := func() time.Time { return time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC) }
	svc := New(store, persist.New(engine), exswarm.NewDeployer(engine), now, slog.New(slog.DiscardHandler))
	return &fixture{svc: svc, store: store, engine: engine}
}

// syncIndex puts the swarm's services into the index, as the watcher does.
func (f *fixture) syncIndex(t *testing.T) {
	t.Helper()
	services, err := f.engine.ServiceList(context.Background(), swarm.ServiceListOptions{})
	assert.NilError(t, err)
	snap := state.Snapshot{}
	for _, s := range services {
		snap.Services = append(snap.Services, state.NewService(s))
	}
	assert.NilError(t, f.store.ReplaceAll(snap))
}

// stackState is the stack's objects on the swarm by name, without IDs or versions, and
// without EXOS's own records.
func (f *fixture) stackState(t *testing.T) map[string]string {
	out := map[string]string{}
	put := func(key string, v any) {
		data, err := json.Marshal(v)
		assert.NilError(t, err)
		out[key] = string(data)
	}
	for _, s := range f.engine.Services {
		put("service "+s.Spec.Name, s.Spec)
	}
	for _, n := range f.engine.Networks {
		put("network "+n.Name, n.Labels)
	}
	for _, c := range f.engine.Configs {
		if c.Spec.Labels[persist.LabelKind] == "" {
			put("config "+c.Spec.Name, c.Spec)
		}
	}
	for _, s := range f.engine.Secrets {
		put("secret "+s.Spec.Name, s.Spec)
	}
	return out
}

func deployReq(compose string) api.DeployRequest {
	return api.DeployRequest{ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: compose}}}
}

func (f *fixture) deploy(t *testing.T, name, compose string) api.DeployResult {
	t.Helper()
	res, err := f.svc.Deploy(context.Background(), name, deployReq(compose), "admin", "10.0.0.9:5000")
	assert.NilError(t, err)
	return res
}

func TestDeployRecordsThePendingRevisionFirstAndMarksItApplied(t *testing.T) {
	f := newFixture(t)
	res := f.deploy(t, "shop", webCompose)
	assert.Check(t, is.Equal(res.Revision, 1))
	assert.Check(t, is.DeepEqual(res.Services, []api.ServiceChange{{Name: "shop_web", Action: "created"}}))
	writes := f.engine.Mutations()
	assert.Check(t, is.Equal(writes[0], "ConfigCreate exos.revision.shop.1.1"), "the intent record comes first: %v", writes)
	assert.Check(t, is.Equal(writes[len(writes)-1], "ConfigUpdate exos.revision.shop.1.1"), "marked applied last: %v", writes)

	rev, err := f.svc.Revision("shop", 1)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionApplied))
	assert.Check(t, is.Equal(rev.Author, "admin"))
	assert.Check(t, is.Equal(rev.RemoteAddr, "10.0.0.9:5000"))
	assert.Check(t, is.Equal(rev.ComposeFiles[0].Content, webCompose))
	assert.Check(t, is.DeepEqual(rev.Images, map[string]string{"web": "exos/busybox:1"}))

	f.deploy(t, "shop", strings.Replace(webCompose, "3600", "60", 1))
	history, err := f.svc.History("shop")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(history[0].State, api.RevisionApplied))
	assert.Check(t, is.Equal(history[1].State, api.RevisionSuperseded))
}

func TestBadInputChangesNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		req     api.DeployRequest
		problem string
	}{
		"unknown key":      {deployReq("services:\n  web:\n    image: x\n    imgae: y\n"), "imgae"},
		"malformed yaml":   {deployReq("services:\n  web:\n   image: [\n"), "docker-compose.yml"},
		"unknown env":      {api.DeployRequest{ComposeFiles: deployReq(webCompose).ComposeFiles, Env: "prod"}, `environment "prod" does not exist`},
		"missing external": {deployReq(webCompose + "    networks: [front]\nnetworks:\n  front:\n    external: true\n"), `network "front" is declared as external`},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.Deploy(context.Background(), "shop", tc.req, "admin", "")
			assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
			assert.Check(t, is.ErrorContains(err, tc.problem))
			assert.Check(t, is.Len(f.engine.Mutations(), 0), "nothing stored or applied")
		})
	}
}

func TestReservedAndInvalidStackNames(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"exos", "bad name", "-x", strings.Repeat("a", 31)} {
		_, err := f.svc.Deploy(context.Background(), name, deployReq(webCompose), "admin", "")
		assert.Check(t, is.ErrorIs(err, api.ErrInvalid), name)
	}
	_, err := f.svc.Rollback(context.Background(), "exos", 1, "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
}

func TestRollbackRedeploysAnOldRevisionAsANewOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", webCompose)
	f.deploy(t, "shop", strings.Replace(webCompose, "busybox:1", "busybox:2", 1))

	res, err := f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 3))
	rev, err := f.svc.Revision("shop", 3)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.RollbackOf, 1))
	assert.Check(t, is.Equal(rev.Images["web"], "exos/busybox:1"))

	for _, to := range []int{0, -1, 9} {
		_, err = f.svc.Rollback(ctx, "shop", to, "admin", "")
		assert.Check(t, is.ErrorIs(err, api.ErrInvalid), "to %d", to)
		assert.Check(t, is.ErrorContains(err, "stack shop has revisions 1 to 3"), "to %d", to)
	}
	_, err = f.svc.Rollback(ctx, "nope", 1, "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestNumberingContinuesAfterARemoval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", webCompose)
	f.syncIndex(t)
	removal, err := f.svc.Remove(ctx, "shop")
	assert.NilError(t, err)
	assert.Check(t, is.Len(f.engine.Services, 0))
	assert.DeepEqual(t, removal.Removed, []api.RemovedObject{{Kind: "service", Name: "shop_web"}, {Kind: "network", Name: "shop_default"}})

	// A fresh service (as after a restart) reads the removal back from the swarm.
	g := newFixtureOn(f.engine)
	assert.NilError(t, g.svc.Load(ctx))
	stacks := g.svc.List(nil, nil)
	assert.Check(t, is.Len(stacks, 1))
	assert.Check(t, is.Equal(stacks[0].State, api.StackRemoved))
	res, err := g.svc.Deploy(ctx, "shop", deployReq(webCompose), "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))
}

func TestRedeployKeepsTheEnvironmentAndSaysWhenItMoves(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, env := range []string{"qa", "prod"} {
		assert.NilError(t, f.store.UpsertEnvironments(&state.Environment{Name: env}))
	}
	_, err := f.svc.Deploy(ctx, "shop", api.DeployRequest{ComposeFiles: deployReq(webCompose).ComposeFiles, Env: "qa"}, "admin", "")
	assert.NilError(t, err)

	res := f.deploy(t, "shop", webCompose)
	assert.Check(t, !res.Moved)
	rev, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Env, "qa"), "a redeploy without --env stays in qa")

	res, err = f.svc.Deploy(ctx, "shop", api.DeployRequest{ComposeFiles: deployReq(webCompose).ComposeFiles, Env: "prod"}, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, res.Moved)
	assert.Check(t, is.Equal(res.PreviousEnv, "qa"))
	assert.Check(t, is.Equal(res.Env, "prod"))
}

func TestServicesNotInTheFileAreKeptUnlessPruned(t *testing.T) {
	f := newFixture(t)
	two := webCompose + "  db:\n    image: exos/busybox:1\n"
	f.deploy(t, "shop", two)
	res := f.deploy(t, "shop", webCompose)
	assert.Check(t, is.DeepEqual(res.NotInRevision, []string{"shop_db"}))
	assert.Check(t, is.Len(f.engine.Services, 2))

	req := deployReq(webCompose)
	req.Prune = true
	res, err := f.svc.Deploy(context.Background(), "shop", req, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Len(res.NotInRevision, 0))
	assert.Check(t, is.Contains(res.Services, api.ServiceChange{Name: "shop_db", Action: "removed"}))
	assert.Check(t, is.Len(f.engine.Services, 1))
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
	stored := f.store.Revision(nil, "shop", 1).Data
	assert.Check(t, !strings.Contains(string(stored), string(key)) && !strings.Contains(string(stored), "/wATNw=="))
	for id := range f.engine.Secrets {
		assert.Check(t, is.DeepEqual(f.engine.SecretData[id], key))
	}

	_, err = f.svc.Rollback(ctx, "shop", 1, "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.ErrorContains(err, "./tls.key"))
}

// sortedNames lists map keys, for messages.
func sortedNames[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
