package swarm

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestPollPlanBacksOffAndDrops(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	svc, node := pollTarget{kind: targetService, id: "s1"}, pollTarget{kind: targetNode, id: "n1"}
	p := newPollPlan(100*time.Millisecond, 400*time.Millisecond)

	p.wake(svc, at(0), 100*time.Millisecond)
	assert.Check(t, is.Len(p.due(at(99)), 0))
	due := p.due(at(100))
	assert.Check(t, len(due) == 1 && due[0] == svc)

	// A service stays only while it must (tasks on their way), backing off even while its
	// listings change: its containers' events tell.
	steps := []int{}
	now := 100
	for p.planned(svc) && len(steps) < 10 {
		how := keepNot
		if len(steps) < 3 {
			how = keepBackingOff
		}
		p.polled(svc, true, how, at(now))
		if p.planned(svc) {
			next := p.targets[svc].next
			steps = append(steps, int(next.Sub(at(now))/time.Millisecond))
			now = int(next.Sub(t0) / time.Millisecond)
		}
	}
	assert.Check(t, is.DeepEqual(steps, []int{200, 400, 400}), "then dropped once it need not stay")

	// A service whose tasks on their way have agents to tell of them is polled every
	// slowest, whatever its last step.
	p.wake(svc, at(0), 100*time.Millisecond)
	p.polled(svc, true, keepSlow, at(100))
	assert.Check(t, is.Equal(p.targets[svc].next, at(500)))
	p.polled(svc, false, keepNot, at(500))
	assert.Check(t, !p.planned(svc))

	// A node with an agent, woken by its event, is polled once, changed or not.
	p.wake(node, at(0), 100*time.Millisecond)
	p.polled(node, true, keepNot, at(100))
	assert.Check(t, !p.planned(node))

	// A node's listing that changed brings it back to fast; one that stays is kept.
	p.ensure(node, at(0))
	p.polled(node, false, keepBackingOff, at(0))
	p.polled(node, false, keepBackingOff, at(200))
	assert.Check(t, is.Equal(p.targets[node].step, 400*time.Millisecond))
	p.polled(node, false, keepBackingOff, at(600))
	assert.Check(t, p.planned(node), "a node without an agent stays")
	p.polled(node, true, keepBackingOff, at(1000))
	assert.Check(t, is.Equal(p.targets[node].next, at(1100)))

	// Waking keeps an earlier time; wakeKind resets the kind.
	p.wake(node, at(1000), time.Second)
	assert.Check(t, is.Equal(p.targets[node].next, at(1100)))
	p.polled(node, false, keepBackingOff, at(1100))
	p.wakeKind(targetNode, at(1150))
	assert.Check(t, is.Equal(p.targets[node].next, at(1250)))
	p.drop(node)
	assert.Check(t, !p.planned(node))
}

// planned reports whether t is planned.
func (p *pollPlan) planned(t pollTarget) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.targets[t]
	return ok
}
