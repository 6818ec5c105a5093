package scaler

import (
	"sync"

	"golang.org/x/time/rate"
)

// limiters rate-limits deliveries per hook once authenticated. Failed authentications
// need no limit: they are only counted (Scaler.countRejected).
type limiters struct {
	rate  rate.Limit
	burst int

	mu     sync.Mutex
	byHook map[string]*rate.Limiter
}

func newLimiters(r rate.Limit, burst int) *limiters {
	if r <= 0 {
		r = rate.Inf
	}
	return &limiters{rate: r, burst: max(burst, 1), byHook: map[string]*rate.Limiter{}}
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
