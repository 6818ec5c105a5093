package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const deployToken = "s3cr3t-deploy-token"

// fakeDeploys accepts deployToken for hook "d1": a body "down" is a registry that does
// not answer, anything else is queued as deployment "dep1".
type fakeDeploys struct {
	DeployHooks
	gotQuery url.Values
}

func (f *fakeDeploys) Deliver(_ context.Context, id, token, _ string, q url.Values, body []byte) (hooks.Delivery, error) {
	f.gotQuery = q
	if id != "d1" || token != deployToken {
		return hooks.Delivery{}, hooks.ErrBadToken
	}
	hook := api.Hook{ID: "d1", Kind: api.HookKindDeploy, Stack: "shop"}
	rec := api.DeployDelivery{Hook: "d1", Actor: api.DeployHookActor("d1"), Format: hooks.FormatNative, Image: "reg:5000/app:2"}
	if string(body) == "down" {
		rec.Outcome, rec.Reason = api.DeliveryRejected, "registry down"
		return hooks.Delivery{Hook: hook, Record: rec, Status: 502}, retryIn{fmt.Errorf("%w: registry reg:5000 did not answer", api.ErrBadGateway)}
	}
	rec.Outcome, rec.Deployment = api.DeliveryAccepted, "dep1"
	return hooks.Delivery{Hook: hook, Record: rec, Status: 202, Answer: api.DeployAccepted{
		DeploymentID: "dep1", StatusURL: hooks.StatusPath("d1", "dep1"), Status: api.DeploymentPending}}, nil
}

func (f *fakeDeploys) Status(hookID, token, id string) (api.Deployment, error) {
	if hookID != "d1" || token != deployToken {
		return api.Deployment{}, hooks.ErrBadToken
	}
	return api.Deployment{ID: id, Hook: hookID, Status: api.DeploymentConverged}, nil
}

type retryIn struct{ error }

func (e retryIn) Unwrap() error           { return e.error }
func (retryIn) RetryAfter() time.Duration { return 30 * time.Second }

func TestDeployHookDeliveries(t *testing.T) {
	var logs bytes.Buffer
	deploys, audit := &fakeDeploys{}, &fakeAudit{}
	s := New(Config{Store: state.New(), Stacks: &fakeStacks{}, Deploys: deploys, Audit: audit, Authenticator: adminToken(testToken),
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	send := func(method, path string, header map[string]string, body string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		assert.NilError(t, err)
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, data
	}
	for name, call := range map[string]struct {
		path   string
		header map[string]string
	}{
		"bearer":        {"/hooks/v1/deploy/d1", map[string]string{"Authorization": "Bearer " + deployToken}},
		"X-Exos-Token":  {"/hooks/v1/deploy/d1", map[string]string{"X-Exos-Token": deployToken}},
		"?token=":       {"/hooks/v1/deploy/d1?tag=2&token=" + deployToken, nil},
		"path":          {"/hooks/v1/deploy/d1/" + deployToken, nil},
		"the admin's":   {"/hooks/v1/deploy/d1", map[string]string{"Authorization": "Bearer " + testToken}},
		"status, path?": {"/hooks/v1/deploy/d1/deployments", nil},
	} {
		resp, data := send(http.MethodPost, call.path, call.header, `{"image":"reg:5000/app","tag":"2"}`)
		if name == "the admin's" || name == "status, path?" {
			assert.Check(t, is.Equal(resp.StatusCode, 401), name)
			continue
		}
		assert.Check(t, is.Equal(resp.StatusCode, 202), name)
		var got api.DeployAccepted
		assert.NilError(t, json.Unmarshal(data, &got))
		assert.Check(t, is.Equal(got.StatusURL, ts.URL+"/hooks/v1/deploy/d1/deployments/dep1"), name)
		assert.Check(t, is.Equal(got.DeploymentID, "dep1"))
	}
	send(http.MethodPost, "/hooks/v1/deploy/d1?tag=2&token="+deployToken, nil, "")
	assert.Check(t, is.Equal(deploys.gotQuery.Get("token"), ""), "the token is not part of the payload")
	assert.Check(t, is.Equal(deploys.gotQuery.Get("tag"), "2"))

	resp, data := send(http.MethodGet, "/hooks/v1/deploy/d1/deployments/dep1", map[string]string{"X-Exos-Token": deployToken}, "")
	assert.Check(t, is.Equal(resp.StatusCode, 200))
	assert.Check(t, is.Contains(string(data), `"status":"converged"`))
	resp, _ = send(http.MethodGet, "/hooks/v1/deploy/d1/deployments/dep1?token=wrong", nil, "")
	assert.Check(t, is.Equal(resp.StatusCode, 401))

	resp, data = send(http.MethodPost, "/hooks/v1/deploy/d1/"+deployToken, nil, "down")
	assert.Check(t, is.Equal(resp.StatusCode, 502))
	assert.Check(t, is.Equal(resp.Header.Get("Retry-After"), "30"))
	assert.Check(t, is.Contains(string(data), "did not answer"))
	assert.Check(t, is.Contains(logs.String(), "/hooks/v1/deploy/d1/REDACTED"), "the failure is logged")
	assert.Check(t, !strings.Contains(logs.String(), deployToken), "a hook token is in the log:\n%s", logs.String())

	recorded, _ := audit.reset()
	assert.Assert(t, len(recorded) > 0)
	for _, e := range recorded {
		assert.Check(t, is.Equal(e.Actor, "hook:d1"))
		assert.Check(t, is.Equal(e.Action, "hook.deploy"))
		assert.Check(t, !strings.Contains(e.Detail+e.Route+e.Object, deployToken))
	}
	assert.Check(t, is.Equal(recorded[len(recorded)-1].Result, api.AuditError))
}
