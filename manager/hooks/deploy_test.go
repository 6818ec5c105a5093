package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// A push in each format deploys the pinned image to the services that run the
// repository, guarded, as the hook; the status follows the rollout to converged.
func TestDeployHookDeploysEachFormat(t *testing.T) {
	cases := []struct {
		name, query, body, format string
		want                      string
	}{
		{"native with digest", "", `{"image":"reg:5000/shop/app","tag":"2","digest":"` + digest2 + `"}`, FormatNative, pinned("2", digest2)},
		{"native, tag resolved", "", `{"image":"reg:5000/shop/app","tag":"2"}`, FormatNative, pinned("2", digest2)},
		{"Portainer-style", "tag=2", "", FormatPortainer, pinned("2", digest2)},
		{"registry notification", "", registryBody("e1", appRepo, "2", digest2), FormatRegistry, pinned("2", digest2)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newDeployRig(t)
			h := r.hook(t, api.HookCreateRequest{Service: "web"})
			got, err := r.deliver(h, tc.query, tc.body)
			assert.NilError(t, err)
			assert.Check(t, is.Equal(got.Status, 202))
			assert.Check(t, is.Equal(got.Answer.Image, tc.want))
			assert.Check(t, is.Equal(got.Answer.StatusURL, "/hooks/v1/deploy/"+h.ID+"/deployments/"+got.Answer.DeploymentID))
			r.d.Wait()
			assert.Check(t, is.DeepEqual(r.stacks.deployed(), []string{"web=" + tc.want}))
			assert.Check(t, is.DeepEqual(r.stacks.authors, []string{"hook:" + h.ID}))
			assert.Check(t, r.stacks.deploys[0].Guarded, "a hook deploy is start-first, rolled back on failure, monitored")

			st := r.status(t, h, got.Answer.DeploymentID)
			assert.Check(t, is.Equal(st.Status, api.DeploymentConverging), "no task runs the new image yet")
			assert.Check(t, is.Equal(st.Format, tc.format))
			r.runTasks(t, "shop_web")
			st = r.status(t, h, got.Answer.DeploymentID)
			assert.Check(t, is.Equal(st.Status, api.DeploymentConverged))
			assert.Check(t, is.DeepEqual(st.Revisions, []int{1}))
			assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{api.DeliveryAccepted, api.DeliveryDeployed}))
		})
	}
}

// A stack hook deploys every service that runs the pushed repository, and only those.
func TestStackHookDeploysEveryServiceOfTheRepository(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{})
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app:3"}`)
	assert.NilError(t, err)
	r.d.Wait()
	assert.Check(t, is.DeepEqual(r.stacks.deployed(), []string{"web=" + pinned("3", digest3), "worker=" + pinned("3", digest3)}))
	assert.Check(t, is.DeepEqual(r.status(t, h, got.Answer.DeploymentID).Services, []string{"shop_web", "shop_worker"}))
	r.runTasks(t, "shop_web")
	assert.Check(t, is.Equal(r.status(t, h, got.Answer.DeploymentID).Status, api.DeploymentConverging), "worker has not converged")
	r.runTasks(t, "shop_worker")
	assert.Check(t, is.Equal(r.status(t, h, got.Answer.DeploymentID).Status, api.DeploymentConverged))
}

// The digest that already runs is a 200 no-op, so a CI may retry: found before anything
// is queued, and recorded.
func TestRunningDigestIsANoOp(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"1"}`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Status, 200))
	assert.Check(t, got.Answer.Unchanged)
	assert.Check(t, is.Equal(got.Answer.Status, api.DeploymentConverged))
	r.d.Wait()
	assert.Check(t, is.Len(r.stacks.deployed(), 0))
	assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{api.DeliveryUnchanged}))
}

// A registry retrying an event, and a CI retrying a push still queued, deploy once.
func TestDuplicatesDeployOnce(t *testing.T) {
	r := newDeployRig(t)
	r.stacks.gate = make(chan struct{})
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	first, err := r.deliver(h, "", registryBody("e1", appRepo, "2", digest2))
	assert.NilError(t, err)
	again, err := r.deliver(h, "", registryBody("e1", appRepo, "2", digest2))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(again.Status, 200))
	assert.Check(t, again.Answer.Duplicate)
	assert.Check(t, is.Equal(again.Answer.DeploymentID, first.Answer.DeploymentID))
	ci, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(ci.Status, 202))
	assert.Check(t, ci.Answer.Duplicate)
	assert.Check(t, is.Equal(ci.Answer.DeploymentID, first.Answer.DeploymentID), "the same image is the same deployment")
	close(r.stacks.gate)
	r.d.Wait()
	assert.Check(t, is.Len(r.stacks.deployed(), 1))
	after, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(after.Status, 200), "deployed: now it runs")
	assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{
		api.DeliveryAccepted, api.DeliveryDuplicate, api.DeliveryDuplicate, api.DeliveryDeployed, api.DeliveryUnchanged}))
}

// Pushes in quick succession collapse: one deploy in flight per stack, the newest
// waiting push wins (even a push of the digest running now, which reverts the one in
// flight), and the skipped ones are recorded as superseded.
func TestQuickPushesCollapse(t *testing.T) {
	r := newDeployRig(t)
	r.stacks.gate = make(chan struct{})
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	push := func(tag string) Delivery {
		t.Helper()
		got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"`+tag+`"}`)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(got.Status, 202))
		return got
	}
	first, second := push("2"), push("3")
	assert.Check(t, is.Equal(r.status(t, h, first.Answer.DeploymentID).Status, api.DeploymentConverging), "the first is deploying")
	assert.Check(t, is.Equal(r.status(t, h, second.Answer.DeploymentID).Status, api.DeploymentPending))
	again := push("3")
	assert.Check(t, again.Answer.Duplicate)
	assert.Check(t, is.Equal(again.Answer.DeploymentID, second.Answer.DeploymentID), "the same waiting image is one deployment")
	revert := push("1") // the digest running now: not a no-op while tag 2 is on its way
	st := r.status(t, h, second.Answer.DeploymentID)
	assert.Check(t, is.Equal(st.Status, api.DeploymentSuperseded))
	assert.Check(t, is.Equal(st.SupersededBy, revert.Answer.DeploymentID))
	r.stacks.gate <- struct{}{}
	r.stacks.gate <- struct{}{}
	r.d.Wait()
	assert.Check(t, is.DeepEqual(r.stacks.deployed(), []string{"web=" + pinned("2", digest2), "web=" + pinned("1", digest1)}))
	assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{
		api.DeliveryAccepted, api.DeliveryAccepted, api.DeliveryDuplicate, api.DeliverySuperseded, api.DeliveryAccepted,
		api.DeliveryDeployed, api.DeliveryDeployed}))
}

// A manual deploy holding the stack's lock holds the hook's deploy off without blocking
// the delivery: the answer comes at once, the deploy after the manual one.
func TestHookDeployWaitsForAManualDeploy(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	unlock := r.stacks.Lock("shop")
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Status, 202))
	assert.Check(t, is.Len(r.stacks.deployed(), 0), "not while the manual deploy runs")
	unlock()
	r.d.Wait()
	assert.Check(t, is.Len(r.stacks.deployed(), 1))
}

func TestBadDeliveriesDeployNothing(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web", TagPattern: "[0-9]*"})
	other := r.hook(t, api.HookCreateRequest{})
	revoked := r.hook(t, api.HookCreateRequest{Service: "web"})
	_, err := r.d.RevokeHook(context.Background(), revoked.ID, "carol", "")
	assert.NilError(t, err)
	cases := []struct {
		name        string
		hook        api.HookSecret
		token       string
		query, body string
		status      int
		msg         string
	}{
		{"malformed body", h, h.Token, "", `{"image":`, 400, "not a JSON object"},
		{"unknown fields", h, h.Token, "", `{"image":"reg:5000/shop/app","tga":"2"}`, 400, "in no known format"},
		{"repository outside the scope", h, h.Token, "", `{"image":"reg:5000/other/app","tag":"2"}`, 403, "outside the scope"},
		{"repository of another service", h, h.Token, "", `{"image":"postgres","tag":"17"}`, 403, "service shop_web runs reg:5000/shop/app"},
		{"tag not matching", h, h.Token, "", `{"image":"reg:5000/shop/app","tag":"latest"}`, 403, `does not match hook`},
		{"no image, several services", other, other.Token, "tag=2", "", 400, "names no image"},
		{"unknown tag", h, h.Token, "", `{"image":"reg:5000/shop/app","tag":"9"}`, 422, "no tag"},
		{"wrong token", h, h.Token + "x", "tag=2", "", 401, "invalid hook or token"},
		{"revoked token", revoked, revoked.Token, "tag=2", "", 401, "invalid hook or token"},
		{"unknown hook", api.HookSecret{Hook: api.Hook{ID: "nohook"}}, h.Token, "tag=2", "", 401, "invalid hook or token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := map[string][]string{}
			if tc.query != "" {
				q["tag"] = []string{strings.TrimPrefix(tc.query, "tag=")}
			}
			_, err := r.d.Deliver(context.Background(), tc.hook.ID, tc.token, "", q, []byte(tc.body))
			assert.Check(t, is.Equal(api.StatusOf(err), tc.status), "%v", err)
			assert.Check(t, is.ErrorContains(err, tc.msg))
		})
	}
	r.resolver.down = true
	_, err = r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.Check(t, is.Equal(api.StatusOf(err), 502))
	var retry interface{ RetryAfter() time.Duration }
	assert.Check(t, errors.As(err, &retry) && retry.RetryAfter() > 0, "a 502 says when to retry")
	r.d.Wait()
	assert.Check(t, is.Len(r.stacks.deployed(), 0))
	hist := r.d.DeployHistory(h.ID, "")
	assert.Check(t, len(hist) > 0)
	for _, rec := range hist {
		assert.Check(t, is.Equal(rec.Outcome, api.DeliveryRejected))
		assert.Check(t, rec.Reason != "")
	}
	assert.Check(t, is.Len(r.d.DeployHistory(revoked.ID, ""), 0), "bad tokens are counted, not recorded")
	got, err := r.d.Hooks.Inspect(revoked.ID)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.RejectedDeliveries, uint64(1)))
}

// A registry notifies every endpoint of every repository: events outside the hook's
// scope are ignored with a 200, or the registry would retry them without end.
func TestRegistryEventsOutsideTheScopeAreIgnored(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	got, err := r.deliver(h, "", registryBody("e7", "reg:5000/other/app", "2", digest2))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Status, 200))
	assert.Check(t, is.Equal(got.Answer.Ignored, 1))
	assert.Check(t, is.Contains(got.Answer.Reason, "outside the scope"))
	r.d.Wait()
	assert.Check(t, is.Len(r.stacks.deployed(), 0))
}

// A rollout Swarm rolls back is rolled_back, with the reason the stack service gave the
// revision; a deploy the stack service refuses is failed.
func TestStatusFollowsFailures(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	r.d.Wait()
	r.rollBack(t, "shop_web", 1)
	st := r.status(t, h, got.Answer.DeploymentID)
	assert.Check(t, is.Equal(st.Status, api.DeploymentRolledBack))
	assert.Check(t, is.Contains(st.Reason, "Swarm rolled the update back"))

	r.stacks.failWith = api.Errorf(api.ErrConflict, "the stack has drifted")
	got, err = r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"3"}`)
	assert.NilError(t, err)
	r.d.Wait()
	st = r.status(t, h, got.Answer.DeploymentID)
	assert.Check(t, is.Equal(st.Status, api.DeploymentFailed))
	assert.Check(t, is.Contains(st.Reason, "the stack has drifted"))
}

func TestStatusNeedsTheHooksToken(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	other := r.hook(t, api.HookCreateRequest{Service: "worker"})
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	_, err = r.d.Status(h.ID, h.Token+"x", got.Answer.DeploymentID)
	assert.Check(t, errors.Is(err, api.ErrUnauthorized))
	_, err = r.d.Status(other.ID, other.Token, got.Answer.DeploymentID)
	assert.Check(t, errors.Is(err, api.ErrNotFound), "another hook's deployment is not found")
	r.d.Wait()
}

// Every deploy is in the audit log as the hook; no token is stored anywhere.
func TestHookDeploysAreAuditedAndTokensNeverStored(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	_, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	r.d.Wait()
	assert.Assert(t, is.Len(r.audit.events, 1))
	e := r.audit.events[0]
	assert.Check(t, is.Equal(e.Actor, "hook:"+h.ID))
	assert.Check(t, is.Equal(e.Action, "stack.set-image"))
	assert.Check(t, is.Equal(e.Revision, 1))
	assert.Check(t, is.Equal(e.Env, "prod"))
	assert.NilError(t, r.d.History.Flush(context.Background()))
	data, _ := json.Marshal(r.d.DeployHistory("", ""))
	assert.Check(t, !hasToken(string(data), h.Token))
	for _, data := range r.objects.configs(t) {
		assert.Check(t, !hasToken(data, h.Token), "a token is stored in clear: %s", data)
	}
}

func TestCreateDeployHookChecksItsScope(t *testing.T) {
	r := newDeployRig(t)
	cases := []struct {
		name string
		req  api.HookCreateRequest
		msg  string
	}{
		{"no stack", api.HookCreateRequest{Stack: ""}, "give --stack"},
		{"unknown stack", api.HookCreateRequest{Stack: "nope"}, `stack "nope" is not deployed`},
		{"manager stack", api.HookCreateRequest{Stack: "exos"}, "EXOS manager's own"},
		{"unknown service", api.HookCreateRequest{Stack: "shop", Service: "api"}, `no service "api"`},
		{"bad repository", api.HookCreateRequest{Stack: "shop", Repository: "reg:5000/app:1"}, "not a repository name"},
		{"repository not running", api.HookCreateRequest{Stack: "shop", Service: "web", Repository: "postgres"}, "outside the scope"},
		{"bad pattern", api.HookCreateRequest{Stack: "shop", TagPattern: "[1-"}, "not a glob pattern"},
		{"scale flags", api.HookCreateRequest{Stack: "shop", Action: "up"}, "are for scale hooks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Kind = api.HookKindDeploy
			_, err := r.d.CreateHook(context.Background(), tc.req, "carol", "")
			assert.Check(t, is.Equal(api.StatusOf(err), 400))
			assert.Check(t, is.ErrorContains(err, tc.msg))
		})
	}
	assert.Check(t, is.Len(r.d.Hooks.List(), 0), "nothing was created")
	h := r.hook(t, api.HookCreateRequest{Service: "shop_web", Repository: "reg:5000/shop/app", TagPattern: "v*"})
	assert.Check(t, is.Equal(h.Service, "web"), "the stack's prefix is dropped")
	assert.Check(t, is.Equal(h.Kind, api.HookKindDeploy))
	assert.Check(t, is.Equal(h.Path, "/hooks/v1/deploy/"+h.ID))
}

// Docker Hub sends no digest: its tag is resolved. Harbor's resource URL names the host.
func TestDockerHubAndHarborPushes(t *testing.T) {
	r := newDeployRig(t)
	r.resolver.tags["docker.io/library/postgres:17"] = digest2
	db := r.hook(t, api.HookCreateRequest{Service: "db"})
	hub := strings.Replace(sample(t, "dockerhub-push.json"), `"repo_name": "exosdemo/shop"`, `"repo_name": "library/postgres"`, 1)
	hub = strings.Replace(hub, `"tag": "1.4.2"`, `"tag": "17"`, 1)
	got, err := r.deliver(db, "", hub)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Answer.Image, "docker.io/library/postgres:17@"+digest2))

	web := r.hook(t, api.HookCreateRequest{Service: "web"})
	harbor := strings.Replace(sample(t, "harbor-push-artifact.json"), "hub.harbor.com/test-webhook/debian:latest", appRepo+":3", 1)
	harbor = strings.Replace(harbor, `"tag": "latest"`, `"tag": "3"`, 1)
	before := r.resolver.calls
	got, err = r.deliver(web, "", harbor)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Answer.Image, appRepo+":3@"+digestB), "Harbor's digest is what was pushed")
	assert.Check(t, is.Equal(r.resolver.calls, before), "a push with its digest needs no registry call")
	r.d.Wait()
	assert.Check(t, is.DeepEqual(r.stacks.deployed(), []string{"db=docker.io/library/postgres:17@" + digest2, "web=" + appRepo + ":3@" + digestB}))
}
