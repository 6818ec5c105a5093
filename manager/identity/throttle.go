package identity

import (
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// Login backoff. The first freeFailures failures of a user or address cost nothing (a
// typo is not an attack); each one after waits twice as long as the one before, from
// firstDelay up to maxDelay, so guessing goes at most one try per 30 s per user and per
// address. There is no lockout: whoever makes a user's logins fail can delay the user
// by maxDelay at most. A key is forgotten forgetAfter after its last failure, and a
// user's at its next successful login.
const (
	freeFailures = 3
	firstDelay   = time.Second
	maxDelay     = 30 * time.Second
	forgetAfter  = 15 * time.Minute
	// pruneAbove is how many keys are kept before forgotten ones are swept out. Logins
	// are bounded by the hasher (a few per 100 ms), so the map stays far below memory
	// worth counting even under a flood from many addresses.
	pruneAbove = 10000
)

// throttle counts failed logins per key ("user:NAME", "addr:HOST").
type throttle struct {
	now      func() time.Time
	mu       sync.Mutex
	failures map[string]failures
}

type failures struct {
	count int
	last  time.Time
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, failures: map[string]failures{}}
}

// backoff is how long after its last failure a key with count failures waits.
func backoff(count int) time.Duration {
	if count < freeFailures {
		return 0
	}
	d := firstDelay << min(count-freeFailures, 10)
	return min(d, maxDelay)
}

// wait returns how long the longest-waiting of keys must still wait; 0 to go ahead.
func (t *throttle) wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var longest time.Duration
	for _, k := range keys {
		f, ok := t.failures[k]
		if !ok {
			continue
		}
		if now.Sub(f.last) > forgetAfter {
			delete(t.failures, k)
			continue
		}
		longest = max(longest, f.last.Add(backoff(f.count)).Sub(now))
	}
	return longest
}

// fail counts a failed login against keys.
func (t *throttle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.failures) > pruneAbove {
		for k, f := range t.failures {
			if now.Sub(f.last) > forgetAfter {
				delete(t.failures, k)
			}
		}
	}
	for _, k := range keys {
		f := t.failures[k]
		t.failures[k] = failures{count: f.count + 1, last: now}
	}
}

func (t *throttle) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}

// RetryError is a refusal that says when to try again; the server sends it as the
// Retry-After header.
type RetryError struct {
	err   error
	After time.Duration
}

func (e *RetryError) Error() string { return e.err.Error() }
func (e *RetryError) Unwrap() error { return e.err }

// RetryAfter is the wait, for the server's Retry-After header.
func (e *RetryError) RetryAfter() time.Duration { return e.After }

func tooManyFailures(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return &RetryError{
		err:   api.Errorf(api.ErrTooManyRequests, "too many failed logins: try again in %d s", secs),
		After: time.Duration(secs) * time.Second,
	}
}
