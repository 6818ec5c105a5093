package stack

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// target is what a --wait waits for: the services a deploy (or rollback) recorded as
// revision Revision, and what it changed.
type target struct {
	Revision int
	// Changed holds the services the deploy created or updated: only their rolling-update
	// state is ours to judge (an old rollback on an untouched service is not).
	Changed map[string]bool
	// Since is when the deploy was sent; task failures before it are history.
	Since time.Time
}

func newTarget(res api.DeployResult, since time.Time) target {
	t := target{Revision: res.Revision, Changed: map[string]bool{}, Since: since}
	for _, s := range res.Services {
		if s.Action != "removed" {
			t.Changed[s.Name] = true
		}
	}
	return t
}

// waitState is one look at a converging stack.
type waitState struct {
	Done   bool
	Failed error
	// Lines has one progress line per service, sorted by name.
	Lines []string
}

// assess decides from one snapshot of the stack's services and tasks whether the deploy
// has converged, failed, or is still under way.
func assess(services []api.Service, containers []api.Container, t target) waitState {
	if len(services) == 0 {
		return waitState{Lines: []string{"waiting for the stack's services to appear"}}
	}
	sorted := append([]api.Service(nil), services...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	st := waitState{Done: true}
	for _, s := range sorted {
		line, done := serviceProgress(s, t)
		st.Lines = append(st.Lines, line)
		st.Done = st.Done && done
		if st.Failed == nil {
			st.Failed = updateFailure(s, t)
		}
	}
	if st.Failed == nil {
		st.Failed = taskFailure(containers, t)
	}
	if st.Failed != nil {
		st.Done = false
	}
	return st
}

// serviceProgress is "NAME running/desired [note]" and whether the service has converged.
func serviceProgress(s api.Service, t target) (string, bool) {
	line := fmt.Sprintf("%s %d/%d", s.Name, s.Running, s.Desired)
	switch {
	case s.Revision != 0 && t.Revision != 0 && s.Revision < t.Revision:
		return line + " (waiting for revision " + fmt.Sprint(t.Revision) + ")", false
	case s.UpdateState == "updating" || s.UpdateState == "rollback_started":
		return line + " (" + strings.ReplaceAll(s.UpdateState, "_", " ") + ")", false
	case s.Running != s.Desired:
		return line, false
	}
	return line + " (converged)", true
}

// updateFailure reports a rolling update of a changed service that Swarm paused or rolled
// back: it will not converge to the new spec by itself.
func updateFailure(s api.Service, t target) error {
	if !t.Changed[s.Name] {
		return nil
	}
	var what string
	switch s.UpdateState {
	case "paused", "rollback_paused":
		what = "update paused"
	case "rollback_started", "rollback_completed":
		what = "update failed and was rolled back"
	default:
		return nil
	}
	if s.UpdateMessage != "" {
		what += ": " + s.UpdateMessage
	}
	return fmt.Errorf("service %s: %s", s.Name, what)
}

// taskFailure reports the first task of a current spec that failed or was rejected since
// the deploy was sent, with its node and error.
func taskFailure(containers []api.Container, t target) error {
	for _, c := range containers {
		if !c.Current || (c.State != "failed" && c.State != "rejected") || c.UpdatedAt.Before(t.Since) {
			continue
		}
		reason := c.Error
		if reason == "" {
			reason = c.Message
		}
		node := c.Node
		if node == "" {
			node = "no node"
		}
		return fmt.Errorf("service %s: task %s %s on %s: %s", c.Service, c.Name, c.State, node, reason)
	}
	return nil
}
