package identity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/swarm/swarmtest"
)

// clock is a settable clock for the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a service over an in-memory swarm, with its clock and its log.
type fixture struct {
	t      testing.TB
	engine *swarmtest.Engine
	clock  *clock
	logs   *bytes.Buffer
	svc    *Service
}

// cheapParams keep the tests fast; BenchmarkLogin measures the real ones.
var cheapParams = argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newFixture(t testing.TB) *fixture {
	f := &fixture{t: t, engine: swarmtest.NewEngine(), clock: newClock(), logs: &bytes.Buffer{}}
	f.svc = f.load()
	return f
}

// load starts a service over the fixture's swarm, as a restarted manager would.
func (f *fixture) load() *Service {
	f.t.Helper()
	svc, err := New(Config{Objects: persist.New(f.engine), Configs: f.engine, Key: bytes.Repeat([]byte{7}, 32), Now: f.clock.now,
		Log: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	assert.NilError(f.t, err)
	svc.hasher = newHasher(cheapParams)
	assert.NilError(f.t, svc.Load(context.Background()))
	return svc
}

// installToken stores an admin token's hash as `docker exos manager install` does.
func (f *fixture) installToken(token string) {
	sum := sha256.Sum256([]byte(token))
	h := hex.EncodeToString(sum[:])
	_, err := f.engine.ConfigCreate(context.Background(), swarm.ConfigSpec{
		Annotations: swarm.Annotations{Name: "exos-admin-token-" + h[:12], Labels: map[string]string{persist.LabelKind: AdminTokenKind}},
		Data:        []byte(h),
	})
	assert.NilError(f.t, err)
}

func (f *fixture) createUser(name, password string) {
	f.t.Helper()
	_, err := f.svc.CreateUser(context.Background(), api.UserCreateRequest{Name: name, Password: password})
	assert.NilError(f.t, err)
}

func (f *fixture) login(name, password string) string {
	f.t.Helper()
	sess, err := f.svc.Login(context.Background(), api.LoginRequest{Username: name, Password: password}, "192.0.2.1:5000")
	assert.NilError(f.t, err)
	return sess.Token
}

// as authenticates a request carrying token.
func (f *fixture) as(token string) (authz.Principal, error) {
	r := httptest.NewRequest("GET", "/api/v1/stacks", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return f.svc.Authenticate(r)
}

func (f *fixture) principal(token string) authz.Principal {
	f.t.Helper()
	p, err := f.as(token)
	assert.NilError(f.t, err)
	return p
}

// stored is every stored identity object's data, decoded, for the tests that look for
// secrets in it.
func (f *fixture) stored() string {
	var all bytes.Buffer
	for _, kind := range []string{kindUser, kindGroup, kindToken, kindSession, kindBinding, kindLDAP} {
		objs, err := persist.New(f.engine).List(context.Background(), kind)
		assert.NilError(f.t, err)
		for _, o := range objs {
			all.Write(o.Data)
			for k, v := range o.Labels {
				all.WriteString(k + "=" + v)
			}
		}
	}
	return all.String()
}
