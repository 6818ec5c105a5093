package identity

import (
	"context"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
)

func TestHashesKeepTheirParameters(t *testing.T) {
	ctx := context.Background()
	old := newHasher(argon2Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	h := newHasher(cheapParams)
	encoded, err := old.hash(ctx, "correct horse battery")
	assert.NilError(t, err)
	assert.Check(t, strings.HasPrefix(encoded, "$argon2id$v=19$m=32,t=1,p=1$"))

	ok, stale, err := h.verify(ctx, encoded, "correct horse battery")
	assert.NilError(t, err)
	assert.Check(t, ok && stale, "an old hash still verifies, and is due for a rehash")
	ok, _, err = h.verify(ctx, encoded, "wrong horse battery")
	assert.Check(t, err == nil && !ok)
	ok, _, err = h.verify(ctx, "", "anything at all")
	assert.Check(t, err == nil && !ok, "no hash (no user) never verifies")

	for _, damaged := range []string{"$argon2i$v=19$m=32,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "plain"} {
		_, _, err := h.verify(ctx, damaged, "x")
		assert.Check(t, is.ErrorIs(err, errBadHash), damaged)
	}
}

// A successful login with a hash of older parameters stores one of the current ones.
func TestLoginRehashesOldHashes(t *testing.T) {
	f := newFixture(t)
	f.svc.hasher = newHasher(argon2Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	f.createUser("bob", "correct horse battery")
	f.svc.hasher = newHasher(cheapParams)
	f.login("bob", "correct horse battery")
	assert.Check(t, strings.Contains(f.svc.user("bob").PasswordHash, "$m=64,t=1,p=1$"))
	f.svc = f.load()
	f.login("bob", "correct horse battery")
}

// A full hasher makes further logins wait; a login whose request ends meanwhile gives up.
func TestHashingIsBounded(t *testing.T) {
	h := newHasher(cheapParams)
	ctx, cancel := context.WithCancel(context.Background())
	for range maxConcurrentHashes {
		assert.NilError(t, h.acquire(ctx))
	}
	cancel()
	_, err := h.hash(ctx, "correct horse battery")
	assert.Check(t, is.ErrorIs(err, context.Canceled))
	h.release()
	_, err = h.hash(context.Background(), "correct horse battery")
	assert.NilError(t, err, "a free slot serves the next one")
}

// Logins, requests and revocations at once keep the maps consistent (run with -race).
func TestConcurrentLoginsAndRequests(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob", "correct horse battery")
	ctx := context.Background()
	bob := f.principal(f.login("bob", "correct horse battery"))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess, err := f.svc.Login(ctx, api.LoginRequest{Username: "bob", Password: "correct horse battery"}, "192.0.2.1:1")
			if err == nil {
				_, err = f.as(sess.Token)
			}
			if err == nil {
				var tok api.TokenSecret
				tok, err = f.svc.CreateToken(ctx, bob, api.TokenCreateRequest{Name: "t" + string(rune('a'+i))})
				if err == nil {
					_, err = f.as(tok.Secret)
				}
				if err == nil {
					err = f.svc.RevokeToken(ctx, tok.ID)
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.Check(t, err)
	}
	assert.Check(t, is.Len(f.svc.ListTokens("bob"), 0))
}
