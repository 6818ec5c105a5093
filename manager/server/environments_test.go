package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeEnvs answers RemoveNode with removeNodeFunc; the other methods are unused.
type fakeEnvs struct {
	Environments
	removeNodeFunc func(env, node string, force bool) (api.Environment, error)
}

func (f *fakeEnvs) RemoveNode(_ context.Context, env, node string, force bool) (api.Environment, error) {
	return f.removeNodeFunc(env, node, force)
}

func newEnvServer(t *testing.T, envs Environments) *api.Client {
	t.Helper()
	tokens := adminToken(testToken)
	s := New(Config{Store: state.New(), Environments: envs, Authenticator: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return api.NewClient(ts.URL, testToken, nil)
}

func TestRemoveNodePassesForceAndAnswersTheRefusals(t *testing.T) {
	var forced []bool
	c := newEnvServer(t, &fakeEnvs{removeNodeFunc: func(env, node string, force bool) (api.Environment, error) {
		forced = append(forced, force)
		switch {
		case node == "stranger":
			return api.Environment{}, api.Errorf(api.ErrNotFound, "node %q is not a member of environment %q", node, env)
		case !force:
			return api.Environment{}, api.Errorf(api.ErrConflict, "node %q is the last node of environment %q", node, env)
		}
		return api.Environment{Name: env, Nodes: []string{}}, nil
	}})
	ctx := context.Background()

	_, err := c.RemoveNode(ctx, "prod", "node1", api.RemoveNodeOptions{})
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	assert.Check(t, is.Equal(api.StatusOf(err), http.StatusConflict))
	assert.Check(t, is.Error(err, `node "node1" is the last node of environment "prod"`))

	env, err := c.RemoveNode(ctx, "prod", "node1", api.RemoveNodeOptions{Force: true})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(env.Name, "prod"))

	_, err = c.RemoveNode(ctx, "prod", "stranger", api.RemoveNodeOptions{Force: true})
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	assert.Check(t, is.DeepEqual(forced, []bool{false, true, true}))
}

func TestRemoveNodeRefusesABadForceValue(t *testing.T) {
	c := newEnvServer(t, &fakeEnvs{removeNodeFunc: func(string, string, bool) (api.Environment, error) {
		t.Fatal("must not be called")
		return api.Environment{}, nil
	}})
	req, _ := http.NewRequest(http.MethodDelete, c.BaseURL()+"/api/v1/environments/prod/nodes/node1?force=maybe", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusBadRequest))
}
