package swarm

import (
	"context"
	"strconv"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// AppliedRevision tells how far the last Apply of stack got, so that a manager that
// crashed in the middle of one can roll it forward. It returns the lowest
// io.exos.stack.revision among the stack's services on the swarm (0 when none carries
// one), and whether the deploy is complete: every service of stack is present with that
// same revision and the swarm has no other service of the stack (those Apply prunes).
func (d *Deployer) AppliedRevision(ctx context.Context, stack *composeext.Stack) (revision int, complete bool, err error) {
	cur, err := d.snapshot(ctx)
	if err != nil {
		return 0, false, err
	}
	own := cur.ownedBy(stack.Name).services
	complete = len(own) == len(stack.Services)
	lowest := -1
	for _, svc := range own {
		rev, err := strconv.Atoi(svc.Spec.Labels[LabelRevision])
		if err != nil {
			// Deployed by docker stack deploy, or by hand: not by a finished Apply.
			complete = false
			continue
		}
		if lowest >= 0 && rev != lowest {
			complete = false
		}
		if lowest < 0 || rev < lowest {
			lowest = rev
		}
	}
	for _, svc := range stack.Services {
		if _, ok := cur.service(scopedName(stack.Name, svc.Name)); !ok {
			complete = false
		}
	}
	return max(lowest, 0), complete && lowest >= 0, nil
}
