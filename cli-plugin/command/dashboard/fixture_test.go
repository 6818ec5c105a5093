package dashboard

import (
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// at is the fixtures' now: every time of the documents is relative to it.
var at = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return at.Add(-d) }

// fixture is a dashboard of two environments on three hosts: node3 went down 20 minutes
// ago, node2 was drained for two hours this morning and its agent was silent briefly.
func fixture() api.Dashboard {
	return api.Dashboard{
		Time: at,
		Counters: api.DashboardCounters{
			Environments: 2, Volumes: 4, Registries: 1, Stacks: 5, Services: 12,
			Hosts:      api.HostCounts{Total: 3, Ready: 2, Down: 1},
			Containers: api.ContainerCounts{Total: 20, Running: 18, Failing: 2},
		},
		Environments: []api.Attention{
			{Kind: "environment", Name: "prod", Score: 130, Reasons: []api.Reason{
				{Kind: api.ReasonNodeDown, Text: "node3 is down", Score: 100, Object: api.ObjectRef{Kind: "node", Name: "node3", ID: "n3"}},
				{Kind: api.ReasonBelowReplicas, Text: "web_api runs 1 of 3 replicas", Score: 20, Object: api.ObjectRef{Kind: "service", Name: "web_api", Stack: "web"}},
				{Kind: api.ReasonTaskFailing, Text: "web_worker: 2 tasks failing", Score: 8, Object: api.ObjectRef{Kind: "service", Name: "web_worker", Stack: "web"}},
				{Kind: api.ReasonUnhealthy, Text: "web_db.1 is unhealthy", Score: 2, Object: api.ObjectRef{Kind: "container", Name: "web_db.1"}},
			}},
			{Kind: "environment", Name: "qa", Score: 2.5, Reasons: []api.Reason{
				{Kind: api.ReasonDrifted, Text: "stack shop drifted from revision 4", Score: 2.5, Object: api.ObjectRef{Kind: "stack", Name: "shop"}},
			}},
		},
		Hosts: []api.Attention{
			{Kind: "node", Name: "node3", ID: "n3", Score: 100, Reasons: []api.Reason{
				{Kind: api.ReasonNodeDown, Text: "down since 11:40", Score: 100, Object: api.ObjectRef{Kind: "node", Name: "node3", ID: "n3"}},
			}},
		},
		TopCPU: []api.ContainerLoad{
			load("c0ffee000001aaaa", "web_api", "web", "prod", "node2", 142.5, 120<<20, 512<<20, []float64{10, 40, 80, 120, 142.5}),
			load("c0ffee000002bbbb", "shop_front", "shop", "qa", "node1", 3.2, 30<<20, 0, []float64{3, 3.2}),
		},
		TopMemory: []api.ContainerLoad{
			load("c0ffee000003cccc", "web_db", "web", "prod", "node3", 0.4, 900<<20, 1<<30, nil),
			load("c0ffee000001aaaa", "web_api", "web", "prod", "node2", 142.5, 120<<20, 512<<20, []float64{10, 40, 80, 120, 142.5}),
		},
		Timeline: []api.HostTimeline{
			{NodeID: "n1", Hostname: "node1", Segments: []api.HostSegment{{State: api.HostReady, From: ago(30 * time.Hour)}}},
			{NodeID: "n2", Hostname: "node2", Segments: []api.HostSegment{
				{State: api.HostReady, From: ago(30 * time.Hour), To: ago(4 * time.Hour)},
				{State: api.HostDrain, From: ago(4 * time.Hour), To: ago(2 * time.Hour)},
				{State: api.HostReady, From: ago(2 * time.Hour), To: ago(time.Hour)},
				{State: api.HostSilent, From: ago(time.Hour), To: ago(59 * time.Minute)},
				{State: api.HostReady, From: ago(59 * time.Minute)},
			}},
			{NodeID: "n3", Hostname: "node3", Segments: []api.HostSegment{
				{State: api.HostReady, From: ago(6 * time.Hour), To: ago(20 * time.Minute)},
				{State: api.HostDown, From: ago(20 * time.Minute)},
			}},
		},
	}
}

// load is a container's sample whose memory history rises as its CPU does.
func load(id, service, stack, env, host string, cpu float64, mem, limit uint64, history []float64) api.ContainerLoad {
	l := api.ContainerLoad{ContainerID: id, TaskID: "t-" + id[:6], Service: service, Stack: stack, Env: env, NodeID: "id-" + host,
		Hostname: host, CPUPercent: cpu, MemoryUsage: mem, MemoryLimit: limit}
	for i, v := range history {
		l.History.Time = append(l.History.Time, at.Unix()-int64(5*(len(history)-1-i)))
		l.History.CPU = append(l.History.CPU, v)
		l.History.Memory = append(l.History.Memory, mem/uint64(len(history))*uint64(i+1))
	}
	return l
}

// quiet is a dashboard with nothing to show: a fresh install.
func quiet() api.Dashboard {
	return api.Dashboard{Time: at, Env: "qa", Counters: api.DashboardCounters{Environments: 1},
		Environments: []api.Attention{}, Hosts: []api.Attention{}, TopCPU: []api.ContainerLoad{}, TopMemory: []api.ContainerLoad{},
		Timeline: []api.HostTimeline{}}
}
