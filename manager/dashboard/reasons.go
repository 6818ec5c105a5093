package dashboard

import (
	"fmt"
	"slices"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// scored is a reason and where it counts: toward the environments envs (its object's)
// unless hostOnly, and toward the host node ("" for none).
type scored struct {
	api.Reason
	envs     []string
	node     string
	hostOnly bool
}

func reason(kind string, units float64, text string, obj api.ObjectRef) api.Reason {
	return api.Reason{Kind: kind, Text: text, Score: reasonScore(kind, units), Object: obj}
}

func nodeRef(n *state.Node) api.ObjectRef {
	return api.ObjectRef{Kind: "node", Name: n.Hostname, ID: n.ID}
}

func serviceRef(name, id, stack string) api.ObjectRef {
	return api.ObjectRef{Kind: "service", Name: name, ID: id, Stack: stack}
}

// nodeReasons are a node's own: its state, and the pressure its fresh sample shows.
func nodeReasons(n *state.Node, hostState string, sample api.NodeSample, fresh bool) []scored {
	var out []api.Reason
	ref := nodeRef(n)
	switch hostState {
	case api.HostDown:
		out = append(out, reason(api.ReasonNodeDown, 1, fmt.Sprintf("%s is %s", n.Hostname, n.State), ref))
	case api.HostSilent:
		out = append(out, reason(api.ReasonAgentSilent, 1, fmt.Sprintf("the agent on %s stopped reporting", n.Hostname), ref))
	case api.HostDrain:
		out = append(out, reason(api.ReasonNodeDrain, 1, fmt.Sprintf("%s is drained", n.Hostname), ref))
	}
	if fresh && hostState != api.HostDown {
		out = append(out, pressureReasons(n.Hostname, sample, ref)...)
	}
	envs := nodeEnvs(n)
	sc := make([]scored, len(out))
	for i, r := range out {
		sc[i] = scored{Reason: r, envs: envs, node: n.ID}
	}
	return sc
}

// pressureReasons judge a node's sample against the thresholds of weights.go.
func pressureReasons(host string, s api.NodeSample, ref api.ObjectRef) []api.Reason {
	var out []api.Reason
	if s.CPUPressure >= cpuPressure || (s.CPUs > 0 && s.Load1/float64(s.CPUs) >= loadPerCPU) {
		out = append(out, reason(api.ReasonCPUPressure, 1,
			fmt.Sprintf("%s: CPU pressure %.0f%%, load %.1f on %d CPUs", host, s.CPUPressure, s.Load1, s.CPUs), ref))
	}
	if s.MemoryPressure >= memoryPressure || (s.MemoryTotal > 0 && float64(s.MemoryAvailable) < memoryFree*float64(s.MemoryTotal)) {
		out = append(out, reason(api.ReasonMemoryPressure, 1,
			fmt.Sprintf("%s: %s of %s memory available", host, bytes(s.MemoryAvailable), bytes(s.MemoryTotal)), ref))
	}
	if s.DiskTotal > 0 && float64(s.DiskFree) < diskFree*float64(s.DiskTotal) {
		out = append(out, reason(api.ReasonDiskPressure, 1,
			fmt.Sprintf("%s: %s of %s disk free", host, bytes(s.DiskFree), bytes(s.DiskTotal)), ref))
	}
	return out
}

// containerReasons are a container's: unhealthy, restarted.
func containerReasons(c *container) []scored {
	s := c.sample
	ref := serviceRef(s.Service, s.ServiceID, s.Stack)
	var out []scored
	if s.Health == "unhealthy" {
		out = append(out, scored{Reason: reason(api.ReasonUnhealthy, 1,
			fmt.Sprintf("a container of %s is unhealthy", s.Service), ref), envs: []string{c.env}, node: c.node})
	}
	if s.Restarts > 0 {
		out = append(out, scored{Reason: reason(api.ReasonRestarting, 1,
			fmt.Sprintf("a container of %s restarted %d times", s.Service, s.Restarts), ref), envs: []string{c.env}, node: c.node})
	}
	return out
}

// serviceReasons are a service's: fewer replicas running than desired.
func serviceReasons(svc *serviceInfo) []scored {
	if svc.desired <= 0 || svc.running >= svc.desired {
		return nil
	}
	missing := float64(svc.desired-svc.running) / float64(svc.desired)
	r := reason(api.ReasonBelowReplicas, missing, fmt.Sprintf("%s runs %d of %d replicas", svc.name, svc.running, svc.desired),
		serviceRef(svc.name, svc.id, svc.stack))
	return []scored{{Reason: r, envs: []string{svc.env}}}
}

// failingReasons count the tasks that failed since now-failingWindow: per service toward
// its environment, per service and node toward the host. failed is newest first.
func failingReasons(failed []failedTask, now time.Time) []scored {
	type key struct {
		svc  *serviceInfo
		node string
	}
	perService, perNode := map[*serviceInfo]int{}, map[key]int{}
	var order []key
	for _, f := range failed {
		if now.Sub(f.at) > failingWindow {
			break
		}
		perService[f.service]++
		k := key{f.service, f.node}
		if perNode[k] == 0 {
			order = append(order, k)
		}
		perNode[k]++
	}
	var out []scored
	for _, k := range order {
		svc := k.svc
		ref := serviceRef(svc.name, svc.id, svc.stack)
		if n := perService[svc]; n > 0 {
			out = append(out, scored{Reason: reason(api.ReasonTaskFailing, float64(n),
				fmt.Sprintf("%d tasks of %s failed in %s", n, svc.name, failingWindow), ref), envs: []string{svc.env}})
			perService[svc] = 0 // once per service
		}
		if k.node != "" {
			n := perNode[k]
			out = append(out, scored{Reason: reason(api.ReasonTaskFailing, float64(n),
				fmt.Sprintf("%d tasks of %s failed here in %s", n, svc.name, failingWindow), ref),
				envs: []string{svc.env}, node: k.node, hostOnly: true})
		}
	}
	return out
}

// stackReasons are a stack's: its latest revision failed, its services drift.
func stackReasons(st stackInfo, drifted int) []scored {
	ref := api.ObjectRef{Kind: "stack", Name: st.name}
	var out []scored
	if r := st.latest; r != nil && r.State == api.RevisionFailed {
		out = append(out, scored{Reason: reason(api.ReasonRevisionFailed, 1,
			fmt.Sprintf("revision %d of %s failed (%s)", r.Number, st.name, r.Failure), ref), envs: []string{st.env}})
	}
	if drifted > 0 {
		out = append(out, scored{Reason: reason(api.ReasonDrifted, 1,
			fmt.Sprintf("%d services of %s differ from its revision", drifted, st.name), ref), envs: []string{st.env}})
	}
	return out
}

func sortFailed(f []failedTask) {
	slices.SortFunc(f, func(a, b failedTask) int { return b.at.Compare(a.at) })
}

// bytes formats a size for a reason's text.
func bytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
