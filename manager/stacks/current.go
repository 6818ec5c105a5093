package stacks

import (
	"sync"

	"github.com/exos-platform/exos/manager/state"
)

// currentCache remembers whether a task runs its service's current spec. Comparing specs is
// the costliest part of a read, and its answer can only change when the task or the service
// gets a new version, so it is kept per (task, task version, service version).
type currentCache struct {
	mu      sync.Mutex
	answers map[currentKey]bool
}

type currentKey struct {
	task                        string
	taskVersion, serviceVersion uint64
}

// maxCurrentAnswers bounds the cache; it is emptied when full, which only costs the next
// reads their comparisons again.
const maxCurrentAnswers = 200_000

func newCurrentCache() *currentCache {
	return &currentCache{answers: map[currentKey]bool{}}
}

func (c *currentCache) isCurrent(svc *state.Service, t *state.Task) bool {
	key := currentKey{task: t.ID, taskVersion: t.Raw.Version.Index, serviceVersion: svc.Raw.Version.Index}
	c.mu.Lock()
	answer, ok := c.answers[key]
	c.mu.Unlock()
	if ok {
		return answer
	}
	answer = isCurrent(svc, t)
	c.mu.Lock()
	if len(c.answers) >= maxCurrentAnswers {
		c.answers = map[currentKey]bool{}
	}
	c.answers[key] = answer
	c.mu.Unlock()
	return answer
}
