package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
)

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	var got []time.Duration
	for n := 0; n <= 12; n++ {
		got = append(got, backoff(n))
	}
	s := time.Second
	assert.Check(t, is.DeepEqual(got, []time.Duration{0, 0, 0, s, 2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s, 30 * s, 30 * s, 30 * s}))
	assert.Check(t, is.Equal(backoff(1000), maxDelay), "no overflow, no lockout")
}

func TestFailedLoginsBackOffAndRecover(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob", "correct horse battery")
	ctx := context.Background()
	try := func(user, password, addr string) error {
		_, err := f.svc.Login(ctx, api.LoginRequest{Username: user, Password: password}, addr+":40000")
		return err
	}
	for i := 0; i < freeFailures; i++ {
		assert.Check(t, is.ErrorIs(try("bob", "guess", "198.51.100.7"), api.ErrUnauthorized), "free failure %d", i)
	}
	err := try("bob", "correct horse battery", "203.0.113.5")
	assert.Check(t, is.ErrorIs(err, api.ErrTooManyRequests), "bob backs off, even from elsewhere and with the right password")
	var retry *RetryError
	assert.Assert(t, errors.As(err, &retry))
	assert.Check(t, is.Equal(retry.After, time.Second))
	err = try("carol", "guess", "198.51.100.7")
	assert.Check(t, is.ErrorIs(err, api.ErrTooManyRequests), "and so does the guessing address, for any user")

	f.clock.advance(time.Second)
	assert.Check(t, is.ErrorIs(try("bob", "guess", "198.51.100.7"), api.ErrUnauthorized))
	assert.Check(t, errors.As(try("bob", "guess", "198.51.100.7"), &retry))
	assert.Check(t, is.Equal(retry.After, 2*time.Second), "each failure doubles the wait")

	f.clock.advance(2 * time.Second)
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "bob", Password: "correct horse battery"}, "203.0.113.5:1")
	assert.NilError(t, err, "the wait over, the right password works")
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "bob", Password: "correct horse battery"}, "203.0.113.5:1")
	assert.NilError(t, err, "and a success forgets bob's failures")

	assert.Check(t, is.ErrorIs(try("carol", "guess", "198.51.100.7"), api.ErrUnauthorized))
	assert.Check(t, is.ErrorIs(try("carol", "guess", "198.51.100.7"), api.ErrTooManyRequests), "the address remembers its failures")
	f.clock.advance(forgetAfter + time.Second)
	assert.Check(t, is.ErrorIs(try("carol", "guess", "198.51.100.7"), api.ErrUnauthorized), "and is forgotten in time")
}

// Passwords appear in no error, no log line and no stored object.
func TestPasswordsNeverShow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const good, wrong, short, bind = "correct horse battery", "wrong-but-long-guess", "hunter2", "directory-bind-secret"
	var errs []error
	keep := func(err error) { errs = append(errs, err) }
	_, err := f.svc.CreateUser(ctx, api.UserCreateRequest{Name: "bob", Password: short})
	keep(err)
	f.createUser("bob", good)
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "bob", Password: wrong}, "192.0.2.9:1")
	keep(err)
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "mallory", Password: good}, "192.0.2.9:1")
	keep(err)
	keep(f.svc.ChangePassword(ctx, "bob", api.PasswordRequest{Current: wrong, Password: good + "!"}))
	keep(f.svc.SetPassword(ctx, "bob", short))
	_, err = f.svc.SetLDAPSettings(ctx, api.LDAPSettingsRequest{
		LDAPSettings: api.LDAPSettings{URL: "ldap://127.0.0.1:1", BindDN: "cn=svc,dc=example,dc=com", UserBase: "dc=example,dc=com"},
		BindPassword: bind,
	})
	assert.NilError(t, err)
	_, err = f.svc.Login(ctx, api.LoginRequest{Username: "alice", Password: good}, "192.0.2.9:1")
	keep(err) // the directory does not answer
	res, err := f.svc.TestLDAP(ctx, api.LDAPTestRequest{Username: "alice", Password: good})
	assert.NilError(t, err)
	assert.Check(t, !res.OK)
	settings, err := f.svc.LDAPSettings()
	assert.NilError(t, err)

	everything := f.logs.String() + f.stored() + fmt.Sprint(res, settings)
	for _, err := range errs {
		assert.Check(t, err != nil)
		everything += err.Error()
	}
	for _, secret := range []string{good, wrong, short, bind} {
		assert.Check(t, !strings.Contains(everything, secret), "%q shows", secret)
	}
	assert.Check(t, strings.Contains(f.logs.String(), "login refused"), "the log has the failures, without passwords")
	assert.Check(t, settings.BindPasswordSet)
}
