package scaler

import (
	"sync"

	"golang.org/x/time/rate"
)

// Failed authentications are recorded at this rate at most: no token can be guessed (256
// bits), but a flood of bad requests must not push real decisions out of the history.
const (
	failedAuthRate  = 20
	failedAuthBurst = 40
)

// limiters rate-limits deliveries per hook once authenticated, and the recording of
// failed authentications for the whole manager.
type limiters struct {
	rate  rate.Limit
	burst int
	bad   *rate.Limiter

	mu     sync.Mutex
	byHook map[string]*rate.Limiter
}

func newLimiters(r rate.Limit, burst int) *limiters {
	if r <= 0 {
		r = rate.Inf
	}
	return &limiters{rate: r, burst: max(burst, 1), bad: rate.NewLimiter(failedAuthRate, failedAuthBurst), byHook: map[string]*rate.Limiter{}}
}

// allow takes a token from the hook's bucket.
func (l *limiters) allow(hook string) bool {
	l.mu.Lock()
	lim, ok := l.byHook[hook]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.byHook[hook] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}

// recordFailure reports whether a failed authentication is within the budget of
// failures worth recording.
func (l *limiters) recordFailure() bool { return l.bad.Allow() }
