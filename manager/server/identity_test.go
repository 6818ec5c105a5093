package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/state"
)

// fakeIdentity answers logins with loginFunc and keeps tokens in a list.
type fakeIdentity struct {
	Identity
	loginFunc func(req api.LoginRequest, remoteAddr string) (api.Session, error)
	tokens    []api.Token
	revoked   []string
}

func (f *fakeIdentity) Login(_ context.Context, req api.LoginRequest, remoteAddr string) (api.Session, error) {
	return f.loginFunc(req, remoteAddr)
}

func (f *fakeIdentity) ListTokens(user string) []api.Token {
	var out []api.Token
	for _, t := range f.tokens {
		if user == "" || t.User == user {
			out = append(out, t)
		}
	}
	return out
}

func (f *fakeIdentity) TokenOwner(id string) (string, bool) {
	for _, t := range f.tokens {
		if t.ID == id {
			return t.User, true
		}
	}
	return "", false
}

func (f *fakeIdentity) RevokeToken(_ context.Context, id string) error {
	f.revoked = append(f.revoked, id)
	return nil
}

// throttled is a refusal with a wait, as the identity service's throttle makes.
type throttled struct{ error }

func (throttled) RetryAfter() time.Duration { return 7 * time.Second }
func (e throttled) Unwrap() error           { return e.error }

func newIdentityServer(t *testing.T, authn Authenticator, id Identity) string {
	t.Helper()
	s := New(Config{Store: state.New(), Authenticator: authn, Identity: id, Environments: &fakeEnvs{}, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// refuseAll authenticates nobody.
type refuseAll struct{}

func (refuseAll) Authenticate(*http.Request) (authz.Principal, error) {
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "nobody")
}

func TestLoginNeedsNoTokenAndSaysWhenToRetry(t *testing.T) {
	id := &fakeIdentity{loginFunc: func(req api.LoginRequest, _ string) (api.Session, error) {
		if req.Password == "right password" {
			return api.Session{Token: "exos_s_x", User: req.Username}, nil
		}
		return api.Session{}, throttled{api.Errorf(api.ErrTooManyRequests, "too many failed logins")}
	}}
	url := newIdentityServer(t, refuseAll{}, id)
	c := api.NewClient(url, "", nil)
	ctx := context.Background()

	sess, err := c.Login(ctx, api.LoginRequest{Username: "bob", Password: "right password"})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(sess.User, "bob"))
	_, err = c.Whoami(ctx)
	assert.Check(t, is.ErrorIs(err, api.ErrUnauthorized), "only logging in is public")

	resp, err := http.Post(url+"/api/v1/login", "application/json", strings.NewReader(`{"username":"bob","password":"guess"}`))
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusTooManyRequests))
	assert.Check(t, is.Equal(resp.Header.Get("Retry-After"), "7"))
}

func TestTokensStayWithTheirOwner(t *testing.T) {
	id := &fakeIdentity{tokens: []api.Token{{ID: "t1", Name: "ci", User: "bob"}, {ID: "t2", Name: "ci", User: "carol"}}}
	bob := authz.Principal{Name: "bob", User: "bob"}
	c := api.NewClient(newIdentityServer(t, fixedCaller(bob), id), "any", nil)
	ctx := context.Background()

	for _, opts := range []api.TokenListOptions{{}, {All: true}, {User: "carol"}} {
		list, err := c.ListTokens(ctx, opts)
		assert.NilError(t, err)
		want := []api.Token{{ID: "t1", Name: "ci", User: "bob"}}
		if opts.User == "carol" {
			want = []api.Token{}
		}
		assert.Check(t, is.DeepEqual(list, want), "%+v", opts)
	}
	err := c.RevokeToken(ctx, "t2")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "another's token does not exist for bob")
	assert.NilError(t, c.RevokeToken(ctx, "t1"))
	assert.Check(t, is.DeepEqual(id.revoked, []string{"t1"}))

	admin := authz.Principal{Name: "admin", User: "admin", Admin: true}
	c = api.NewClient(newIdentityServer(t, fixedCaller(admin), id), "any", nil)
	list, err := c.ListTokens(ctx, api.TokenListOptions{All: true})
	assert.NilError(t, err)
	assert.Check(t, is.Len(list, 2), "the global admin sees everyone's")
}
