package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries"
	"github.com/exos-platform/exos/manager/registries/registrytest"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const registryPassword = "s3rver-Registry-pw"

// callers authenticates each bearer token as its principal.
type callers map[string]authz.Principal

func (c callers) Authenticate(r *http.Request) (authz.Principal, error) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if p, ok := c[tok]; ok {
		return p, nil
	}
	return authz.Principal{}, api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required")
}

// recorder keeps every answer's body, to look for the password in.
type recorder struct{ bodies bytes.Buffer }

func (rec *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for key, values := range resp.Header {
		rec.bodies.WriteString(key + ": " + strings.Join(values, ",") + "\n")
	}
	rec.bodies.Write(data)
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, nil
}

// newRegistryServer serves a real registries service over a real registry, with
// registries qa-reg (environment qa), prod-reg (prod), global, and wrong (global, a
// wrong password); its clients are the admin's and those of a member of qa.
func newRegistryServer(t *testing.T) (admin, qaMember *api.Client, rec *recorder, addr string) {
	t.Helper()
	addr, ca := registrytest.Start(t, registryPassword)
	registrytest.PushRandom(t, addr, ca, registryPassword, "team/app:1.0", 512)
	store := state.New()
	assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: "qa"}, &state.Environment{Name: "prod"}))
	regs, err := registries.New(store, persist.New(swarmtest.NewEngine()), bytes.Repeat([]byte{7}, 32), time.Now)
	assert.NilError(t, err)
	for _, req := range []api.RegistryAddRequest{
		{Name: "qa-reg", Env: "qa"}, {Name: "prod-reg", Env: "prod"}, {Name: "global"},
		{Name: "wrong", Password: "not-the-" + registryPassword},
	} {
		req.URL, req.CA, req.Username = addr, ca, registrytest.User
		if req.Password == "" {
			req.Password = registryPassword
		}
		_, err := regs.Add(context.Background(), req, "admin", "")
		assert.NilError(t, err)
	}
	auth := callers{"admin": {Name: "admin", User: "admin", Admin: true},
		"bob": {Name: "bob", User: "bob", Roles: map[string]authz.Role{"qa": authz.RoleMember}}}
	s := New(Config{Store: store, Registries: regs, Authenticator: auth, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	rec = &recorder{}
	hc := &http.Client{Transport: rec}
	return api.NewClient(ts.URL, "admin", hc), api.NewClient(ts.URL, "bob", hc), rec, addr
}

func TestRegistryBrowseRoutes(t *testing.T) {
	admin, bob, rec, addr := newRegistryServer(t)
	ctx := context.Background()

	repos, next, err := bob.RegistryRepositories(ctx, "qa-reg", api.BrowsePage{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(repos, []api.RegistryRepository{{Name: "team/app"}}))
	assert.Check(t, is.Equal(next, ""))
	repos, next, err = admin.RegistryRepositories(ctx, "global", api.BrowsePage{Limit: 1})
	assert.NilError(t, err)
	assert.Check(t, is.Len(repos, 1))
	assert.Check(t, is.Equal(next, "team/app"), "a full page names where the next starts")
	repos, _, err = admin.RegistryRepositories(ctx, "global", api.BrowsePage{After: next})
	assert.NilError(t, err)
	assert.Check(t, is.Len(repos, 0))

	tags, _, err := bob.RegistryTags(ctx, "global", "team/app", api.BrowsePage{Limit: 10})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(tags, 1))
	assert.Check(t, is.Equal(tags[0].Tag, "1.0"))
	img, err := bob.RegistryImage(ctx, "qa-reg", "team/app:1.0")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(img.Digest, tags[0].Digest))
	assert.Check(t, is.Equal(img.Reference, addr+"/team/app:1.0"))

	_, err = bob.RegistryImage(ctx, "qa-reg", "team/app:2.0")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	assert.Check(t, is.ErrorContains(err, "registry qa-reg has no image team/app:2.0"))
	_, _, err = bob.RegistryTags(ctx, "qa-reg", "", api.BrowsePage{})
	assert.Check(t, is.ErrorContains(err, "give the repository to list the tags of"))
	_, err = bob.RegistryImage(ctx, "qa-reg", "")
	assert.Check(t, is.ErrorContains(err, "give the image to inspect"))
	_, _, err = bob.RegistryTags(ctx, "qa-reg", "team/app", api.BrowsePage{Limit: 5000})
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	_, _, err = admin.RegistryTags(ctx, "wrong", "team/app", api.BrowsePage{})
	assert.Check(t, is.ErrorIs(err, api.ErrBadGateway))
	assert.Check(t, is.ErrorContains(err, `refused the credentials of user "ci"`))
	res, err := admin.TestRegistryLogin(ctx, "wrong")
	assert.NilError(t, err)
	assert.Check(t, !res.OK)
	for _, name := range []string{"qa-reg", "prod-reg", "global", "wrong"} {
		_, err := admin.InspectRegistry(ctx, name)
		assert.NilError(t, err)
	}
	_, err = admin.ListRegistries(ctx)
	assert.NilError(t, err)

	assert.Check(t, !strings.Contains(rec.bodies.String(), registryPassword), "an answer holds the password:\n%s", rec.bodies.String())
	assert.Check(t, strings.Contains(rec.bodies.String(), "team/app"), "the recorder records answers")
}

// TestRegistryOfAnotherEnvironmentIsHidden: a member of qa neither sees nor browses
// prod's registry, which answers as one that does not exist.
func TestRegistryOfAnotherEnvironmentIsHidden(t *testing.T) {
	_, bob, _, _ := newRegistryServer(t)
	ctx := context.Background()
	list, err := bob.ListRegistries(ctx)
	assert.NilError(t, err)
	var names []string
	for _, r := range list {
		names = append(names, r.Name)
	}
	assert.Check(t, is.DeepEqual(names, []string{"global", "qa-reg", "wrong"}))

	for name, call := range map[string]func(reg string) error{
		"inspect": func(reg string) error { _, err := bob.InspectRegistry(ctx, reg); return err },
		"repos":   func(reg string) error { _, _, err := bob.RegistryRepositories(ctx, reg, api.BrowsePage{}); return err },
		"tags": func(reg string) error {
			_, _, err := bob.RegistryTags(ctx, reg, "team/app", api.BrowsePage{})
			return err
		},
		"image": func(reg string) error { _, err := bob.RegistryImage(ctx, reg, "team/app:1.0"); return err },
		"test":  func(reg string) error { _, err := bob.TestRegistryLogin(ctx, reg); return err },
	} {
		hidden, ghost := call("prod-reg"), call("ghost")
		assert.Check(t, is.ErrorIs(hidden, api.ErrNotFound), name)
		assert.Check(t, is.ErrorIs(ghost, api.ErrNotFound), name)
		if hidden != nil && ghost != nil {
			assert.Check(t, is.Equal(hidden.Error(), strings.ReplaceAll(ghost.Error(), "ghost", "prod-reg")), name)
		}
	}
}
