package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeScaling accepts one token for hook "h1" and reports what it was given.
type fakeScaling struct {
	Scaling
	gotBody int
}

func (f *fakeScaling) Deliver(_ context.Context, id, token, _ string, body io.Reader) (api.HookResponse, error) {
	data, err := io.ReadAll(body)
	f.gotBody = len(data)
	if err != nil {
		return api.HookResponse{}, api.Errorf(api.ErrTooLarge, "too large")
	}
	if id != "h1" || token != "secret" {
		return api.HookResponse{}, api.Errorf(api.ErrUnauthorized, "invalid hook or token")
	}
	return api.HookResponse{Decisions: []api.ScaleDecision{{Decision: api.DecisionApplied}}}, nil
}

func TestHookDeliveriesUseTheHookToken(t *testing.T) {
	tokens := adminToken(testToken)
	scaling := &fakeScaling{}
	s := New(Config{Store: state.New(), Scaling: scaling, Authenticator: tokens, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	post := func(path, bearer, body string) int {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		assert.NilError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1", "secret", "{}"), 200), "bearer header")
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1?token=secret", "", "{}"), 200), "token in the query")
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1/secret", "", "{}"), 200), "token in the path")
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1", testToken, "{}"), 401), "the admin token is not a hook token")
	assert.Check(t, is.Equal(post("/hooks/v1/scale/h1", "", strings.Repeat("x", maxHookBody+10)), 413))
	assert.Check(t, scaling.gotBody <= maxHookBody, "the server must stop reading at the limit")
}
