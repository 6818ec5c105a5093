package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/exos-platform/exos/manager/api"
)

// Labels Swarm puts on the containers of its tasks.
const (
	taskLabel        = "com.docker.swarm.task.id"
	serviceIDLabel   = "com.docker.swarm.service.id"
	serviceNameLabel = "com.docker.swarm.service.name"
	stackLabel       = "com.docker.stack.namespace"
)

// relistEvery is how often the containers are listed although no event said they
// changed: a repair, should the Engine ever drop an event.
const relistEvery = time.Minute

// listedContainers is the last container list, kept while the node's events say nothing
// changed. The event forwarder writes following and changed; the report loop reads them.
type listedContainers struct {
	following atomic.Bool // the forwarder's event stream is open
	changed   atomic.Bool // an event came since the last list
	list      []container.Summary
	at        time.Time // zero until a list succeeded, and after one failed
}

// FollowChanges tells the agent that its node's task containers started, died or changed
// health (or, with following false, that the events are not followed any more): the next
// report lists the containers again. While they are followed and nothing changed, a
// report reuses the last list. Safe for concurrent use with Report.
func (a *Agent) FollowChanges(following bool) {
	a.listed.following.Store(following)
	a.listed.changed.Store(true)
}

// containers lists the running containers of Swarm tasks (one Engine call) unless the
// last list still holds, inspects the ones not seen before (once each: what inspect adds
// does not change while a container runs) and locates their cgroups.
func (a *Agent) containers(ctx context.Context) ([]container.Summary, error) {
	l := &a.listed
	now := a.now()
	if !l.at.IsZero() && l.following.Load() && !l.changed.Load() && now.Sub(l.at) < relistEvery {
		return l.list, nil
	}
	l.changed.Store(false) // before the list: an event meanwhile makes the next report list again
	list, err := a.engine.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", taskLabel))})
	if err != nil {
		l.list, l.at = nil, time.Time{}
		return nil, fmt.Errorf("failed to list the containers: %w", err)
	}
	alive := make(map[string]bool, len(list))
	var unlocated []string
	kept := list[:0]
	for _, c := range list {
		s, ok := a.seen[c.ID]
		if !ok {
			inspected, err := a.engine.ContainerInspect(ctx, c.ID)
			if err != nil {
				continue // gone since the list
			}
			s = &seen{restarts: inspected.RestartCount}
			a.seen[c.ID] = s
		}
		alive[c.ID] = true
		kept = append(kept, c)
		if _, located := a.cgroups.dirs[c.ID]; !located && !s.viaEngine {
			unlocated = append(unlocated, c.ID)
		}
	}
	missing := a.cgroups.locate(unlocated)
	for _, id := range missing {
		a.seen[id].viaEngine = true
	}
	if len(missing) > 0 {
		// once per container: a layout the agent does not know costs an Engine call each
		a.log.Info("cgroup not found: reading these containers' stats from the Engine", "containers", len(missing), "cgroup", a.cgroups.version())
	}
	for id := range a.seen {
		if !alive[id] {
			delete(a.seen, id)
		}
	}
	a.cgroups.forget(alive)
	l.list, l.at = kept, now
	return kept, nil
}

// sample reads every container's counters and counts the containers mounting each volume.
func (a *Agent) sample(ctx context.Context, list []container.Summary) ([]api.ContainerSample, map[string]int) {
	samples := make([]api.ContainerSample, 0, len(list))
	mounts := map[string]int{}
	for _, c := range list {
		for _, m := range c.Mounts {
			if m.Type == mount.TypeVolume {
				mounts[m.Name]++
			}
		}
		n, err := a.counters(ctx, c.ID)
		if err != nil {
			continue // stopped since the list
		}
		s := a.seen[c.ID]
		mark := cpuMark{nanos: n.cpuNanos, at: a.now()}
		cpu := cpuPercent(s.cpu, mark)
		s.cpu = mark
		samples = append(samples, api.ContainerSample{
			ContainerID: c.ID, TaskID: c.Labels[taskLabel], ServiceID: c.Labels[serviceIDLabel],
			Service: c.Labels[serviceNameLabel], Stack: c.Labels[stackLabel],
			CPUPercent: cpu, MemoryUsage: n.memUsage, MemoryLimit: n.memLimit,
			Restarts: s.restarts, Health: health(c.Status), OOMKilled: n.oomKills > 0,
		})
	}
	return samples, mounts
}

// counters reads a container's cgroup, or asks the Engine for one-shot stats when its
// cgroup was not found (another runtime's layout, say). A cgroup that cannot be read
// any more is looked for again at the next report.
func (a *Agent) counters(ctx context.Context, id string) (counters, error) {
	if !a.seen[id].viaEngine {
		n, ok, err := a.cgroups.read(id)
		if ok {
			return n, nil
		}
		if err == nil {
			return counters{}, fmt.Errorf("container %s: cgroup not located", id)
		}
	}
	return a.engineCounters(ctx, id)
}

// engineCounters reads one-shot stats: the Engine reads the cgroup once, without the
// second sample a streamed /stats waits a second for.
func (a *Agent) engineCounters(ctx context.Context, id string) (counters, error) {
	resp, err := a.engine.ContainerStatsOneShot(ctx, id)
	if err != nil {
		return counters{}, fmt.Errorf("failed to read the stats of container %s: %w", id, err)
	}
	defer resp.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return counters{}, fmt.Errorf("failed to decode the stats of container %s: %w", id, err)
	}
	inactive := st.MemoryStats.Stats["total_inactive_file"] // cgroup v1
	if v, ok := st.MemoryStats.Stats["inactive_file"]; ok { // cgroup v2
		inactive = v
	}
	limit := st.MemoryStats.Limit
	if limit >= noLimit || uint64(a.node.MemTotal) == limit {
		limit = 0 // the Engine reports the node's memory for a container without a limit
	}
	return counters{cpuNanos: st.CPUStats.CPUUsage.TotalUsage, memUsage: workingSet(st.MemoryStats.Usage, inactive), memLimit: limit}, nil
}

// health reads a container's health from its list status, "Up 2 minutes (healthy)":
// the list says it, so no inspect per report is needed.
func health(status string) string {
	switch {
	case strings.Contains(status, "(healthy)"):
		return "healthy"
	case strings.Contains(status, "(unhealthy)"):
		return "unhealthy"
	case strings.Contains(status, "(health: starting)"):
		return "starting"
	}
	return ""
}

// cpuMark is a container's cumulative CPU time at a moment.
type cpuMark struct {
	nanos uint64
	at    time.Time
}

// cpuPercent is the CPU a container used between two marks, in percent of one core (200
// is two cores busy the whole time). A first mark, a counter that went back (the cgroup
// was made again) or no time passed gives 0: there is no interval to speak of.
func cpuPercent(prev, cur cpuMark) float64 {
	elapsed := cur.at.Sub(prev.at)
	if prev.at.IsZero() || elapsed <= 0 || cur.nanos < prev.nanos {
		return 0
	}
	return float64(cur.nanos-prev.nanos) / float64(elapsed.Nanoseconds()) * 100
}
