package hooks

import (
	"sync"

	"golang.org/x/time/rate"
)

// Limiters rate-limits deliveries per hook once authenticated. Failed authentications
// need no limit: they are only counted (Registry.CountRejected).
type Limiters struct {
	rate  rate.Limit
	burst int

	mu     sync.Mutex
	byHook map[string]*rate.Limiter
}

// NewLimiters allows r deliveries per second and hook (r <= 0: no limit), in bursts of
// burst.
func NewLimiters(r rate.Limit, burst int) *Limiters {
	if r <= 0 {
		r = rate.Inf
	}
	return &Limiters{rate: r, burst: max(burst, 1), byHook: map[string]*rate.Limiter{}}
}

// Allow takes a token from the hook's bucket.
func (l *Limiters) Allow(hook string) bool {
	l.mu.Lock()
	lim, ok := l.byHook[hook]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.byHook[hook] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}
