package identity

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/manager/api"
)

// BenchmarkLogin measures one successful login with the real argon2id parameters
// (hashParams): the hash check and the session stored in an in-memory swarm. It reports
// milliseconds per login (target < 100) and the bytes one attempt allocates, an upper
// bound of what it holds at once (target < 64 MiB).
func BenchmarkLogin(b *testing.B) {
	f := newBenchFixture(b)
	ctx := context.Background()
	req := api.LoginRequest{Username: "bob", Password: "correct horse battery"}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start, n := time.Now(), 0
	for b.Loop() {
		if _, err := f.svc.Login(ctx, req, "192.0.2.1:1"); err != nil {
			b.Fatal(err)
		}
		n++
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(n), "login-ms")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n)/(1<<20), "peak-MiB")
}

// BenchmarkAuthenticate measures resolving an API token into its caller, which every
// request pays before its permission check: a hash and a map lookup.
func BenchmarkAuthenticate(b *testing.B) {
	f := newBenchFixture(b)
	tok, err := f.svc.CreateToken(context.Background(), f.principal(f.login("bob", "correct horse battery")), api.TokenCreateRequest{Name: "ci"})
	assert.NilError(b, err)
	f.principal(tok.Secret) // its first use, reported and stored once, is not what is measured
	r := httptest.NewRequest("GET", "/api/v1/stacks", nil)
	r.Header.Set("Authorization", "Bearer "+tok.Secret)
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		_, err := f.svc.Authenticate(r)
		durations = append(durations, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)*99/100].Nanoseconds())/1000, "p99-us")
}

// newBenchFixture is a service with the real hash parameters and user bob, member of
// one of 100 environments through a group.
func newBenchFixture(b *testing.B) *fixture {
	f := newFixture(b)
	f.svc.hasher = newHasher(hashParams)
	f.createUser("bob", "correct horse battery")
	ctx := context.Background()
	_, err := f.svc.CreateGroup(ctx, api.GroupCreateRequest{Name: "devs", Members: []string{"bob"}})
	assert.NilError(b, err)
	for i := range 100 {
		subject := "admin"
		if i == 0 {
			subject = "@devs"
		}
		_, err := f.svc.AddMember(ctx, fmt.Sprintf("env%03d", i), subject, "member")
		assert.NilError(b, err)
	}
	return f
}
