package stack

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// target is what a --wait waits for: the services a deploy (or rollback) recorded as
// revision Revision, and what it changed.
type target struct {
	Revision int
	// Members are the revision's services; services the deploy kept without pruning
	// them are not waited for.
	Members map[string]bool
	// Changed holds the services the deploy created or updated: only their rolling-update
	// state is ours to judge (an old rollback on an untouched service is not).
	Changed map[string]bool
	// Since is when the deploy was sent; task failures before it are history.
	Since time.Time
}

func newTarget(res api.DeployResult, since time.Time) target {
	t := target{Revision: res.Revision, Members: map[string]bool{}, Changed: map[string]bool{}, Since: since}
	for _, s := range res.Services {
		switch s.Action {
		case "removed":
		case "unchanged":
			t.Members[s.Name] = true
		default:
			t.Members[s.Name], t.Changed[s.Name] = true, true
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
	// Recheck is how soon a stability window ends, when one is running: look again then
	// even if nothing changes.
	Recheck time.Duration
}

// stability remembers, per service, the running tasks last seen and since when, by this
// machine's clock: converged means they kept running for the service's monitor period.
type stability map[string]observed

type observed struct {
	tasks string
	since time.Time
}

// assess decides from one snapshot of the stack's services and tasks whether the deploy
// has converged, failed, or is still under way.
func assess(services []api.Service, containers []api.Container, t target, seen stability, now time.Time) waitState {
	sorted := slices.DeleteFunc(slices.Clone(services), func(s api.Service) bool { return len(t.Members) > 0 && !t.Members[s.Name] })
	if len(sorted) == 0 {
		return waitState{Lines: []string{"waiting for the stack's services to appear"}}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	st := waitState{Done: true}
	for _, s := range sorted {
		p := progressOf(s, tasksOf(containers, s.Name), t, seen, now)
		st.Lines = append(st.Lines, p.line)
		st.Done = st.Done && p.done
		if p.recheck > 0 && (st.Recheck == 0 || p.recheck < st.Recheck) {
			st.Recheck = p.recheck
		}
		if st.Failed == nil {
			st.Failed = p.failed
		}
	}
	if st.Failed == nil {
		st.Failed = taskFailure(containers, sorted, t)
	}
	if st.Failed != nil {
		st.Done = false
	}
	return st
}

func tasksOf(containers []api.Container, service string) []api.Container {
	var out []api.Container
	for _, c := range containers {
		if c.Service == service && c.Current && c.DesiredState == "running" {
			out = append(out, c)
		}
	}
	return out
}

// progress is one service's line ("NAME running/desired (note)") and verdict.
type progress struct {
	line    string
	done    bool
	failed  error
	recheck time.Duration
}

func progressOf(s api.Service, tasks []api.Container, t target, seen stability, now time.Time) progress {
	line := fmt.Sprintf("%s %d/%d", s.Name, s.Running, s.Desired)
	switch {
	case s.Revision > t.Revision && t.Revision != 0:
		return progress{line: line + fmt.Sprintf(" (revision %d)", s.Revision),
			failed: fmt.Errorf("revision %d was superseded by revision %d while waiting", t.Revision, s.Revision)}
	case s.Revision != 0 && t.Revision != 0 && s.Revision < t.Revision:
		return progress{line: line + fmt.Sprintf(" (waiting for revision %d)", t.Revision)}
	case s.UpdateState == "updating" || s.UpdateState == "rollback_started":
		return progress{line: line + " (" + strings.ReplaceAll(s.UpdateState, "_", " ") + ")", failed: updateFailure(s, t)}
	case s.Running != s.Desired:
		return progress{line: line + pendingNote(tasks), failed: updateFailure(s, t)}
	}
	p := progress{failed: updateFailure(s, t)}
	if p.failed != nil {
		p.line = line
		return p
	}
	if s.Desired == 0 && s.Mode == "replicated" {
		p.line, p.done = line+" (converged)", true // nothing to run, nothing to watch
		return p
	}
	// A service first seen with no running task starts its window now too: a global
	// service has no task at all until Swarm makes them.
	key := runningKey(tasks)
	if o, ok := seen[s.Name]; !ok || o.tasks != key {
		seen[s.Name] = observed{tasks: key, since: now}
	}
	if left := s.Monitor - now.Sub(seen[s.Name].since); left > 0 && !isJob(s) {
		p.line, p.recheck = line+fmt.Sprintf(" (running; converged if it stays up %s)", s.Monitor), left
		return p
	}
	p.line, p.done = line+" (converged)", true
	return p
}

// runningKey names the set of running tasks: a restarted task changes it.
func runningKey(tasks []api.Container) string {
	var ids []string
	for _, c := range tasks {
		if c.State == "running" {
			ids = append(ids, c.ID)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// pendingNote says, in Swarm's words, why the first task not running yet is waiting,
// and where: " (web.2 on node2: preparing)", " (web.1: no suitable node (...))".
func pendingNote(tasks []api.Container) string {
	for _, c := range tasks {
		if c.State == "running" {
			continue
		}
		why := c.Error
		if why == "" {
			why = c.Message
		}
		if why == "" {
			why = c.State
		}
		where := c.Name
		if c.Node != "" {
			where += " on " + c.Node
		}
		return " (" + where + ": " + why + ")"
	}
	return ""
}

func isJob(s api.Service) bool { return strings.HasSuffix(s.Mode, "-job") }

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

// taskFailure reports the first task of a current spec that failed, was rejected or
// exited (outside a job) since the deploy was sent, with its node, exit code and error:
// a service that starts and then crashes has not converged, whatever its count says.
func taskFailure(containers []api.Container, services []api.Service, t target) error {
	jobs := map[string]bool{}
	for _, s := range services {
		jobs[s.Name] = isJob(s)
	}
	for _, c := range containers {
		stopped := c.State == "failed" || c.State == "rejected" || c.State == "complete" && !jobs[c.Service]
		if !c.Current || !stopped || c.UpdatedAt.Before(t.Since) || len(t.Members) > 0 && !t.Members[c.Service] {
			continue
		}
		reason := c.Error
		if reason == "" {
			reason = c.Message
		}
		if c.ExitCode != 0 {
			reason = fmt.Sprintf("exit code %d: %s", c.ExitCode, reason)
		}
		node := c.Node
		if node == "" {
			node = "no node"
		}
		return fmt.Errorf("service %s: task %s %s on %s: %s", c.Service, c.Name, c.State, node, reason)
	}
	return nil
}
