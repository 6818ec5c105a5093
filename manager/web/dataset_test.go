package web_test

import (
	"fmt"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// dataset is a synthetic deployment as the API shows it: nodes, services and tasks are
// counted, and what the overview draws (top lists, top containers with 15 minutes of
// history, the timeline of every node, pins) is there in full.
type dataset struct {
	nodes, services, tasks int
	start                  time.Time
}

// points is how many samples a history has: 15 minutes at 5 s.
const points = int(api.HistoryWindow / api.AgentInterval)

func (d dataset) hostname(i int) string { return fmt.Sprintf("node%d", i+1) }
func (d dataset) nodeID(i int) string   { return fmt.Sprintf("n%024d", i+1) }
func (d dataset) service(i int) string  { return fmt.Sprintf("shop%d_svc%d", i%20, i) }

// history is a container's samples up to now, a wave so the charts have a shape.
func (d dataset) history(seed int, now time.Time) api.Series {
	var s api.Series
	for k := points - 1; k >= 0; k-- {
		t := now.Add(-time.Duration(k) * api.AgentInterval)
		if t.Before(d.start) {
			continue
		}
		x := float64((int(t.Unix()/5) + seed*7) % 60)
		s.Time = append(s.Time, t.Unix())
		s.CPU = append(s.CPU, 5+float64(seed%7)*10+x)
		s.Memory = append(s.Memory, uint64(64+seed%13*32+int(x))<<20)
	}
	return s
}

func (d dataset) load(i int, now time.Time) api.ContainerLoad {
	h := d.history(i, now)
	n := i % d.nodes
	return api.ContainerLoad{
		ContainerID: fmt.Sprintf("%064x", i+1), TaskID: fmt.Sprintf("t%024d", i), Service: d.service(i), Stack: fmt.Sprintf("shop%d", i%20),
		Env: "dev", NodeID: d.nodeID(n), Hostname: d.hostname(n),
		CPUPercent: h.CPU[len(h.CPU)-1], MemoryUsage: h.Memory[len(h.Memory)-1], MemoryLimit: 1 << 30, History: h,
	}
}

// dashboard is the document at now; down lists the nodes that are down.
func (d dataset) dashboard(now time.Time, down map[int]bool) api.Dashboard {
	doc := api.Dashboard{Time: now, Counters: api.DashboardCounters{
		Environments: 3, Volumes: d.nodes * 4, Registries: 2, Stacks: 20, Services: d.services,
		Hosts:      api.HostCounts{Total: d.nodes, Ready: d.nodes - len(down), Down: len(down)},
		Containers: api.ContainerCounts{Total: d.tasks, Running: d.tasks - 7, Failing: 7},
	}}
	for i := range 10 {
		doc.TopCPU = append(doc.TopCPU, d.load(i, now))
		doc.TopMemory = append(doc.TopMemory, d.load(10+i, now))
	}
	for i, env := range []string{"dev", "qa", "prod"} {
		doc.Environments = append(doc.Environments, api.Attention{Kind: "environment", Name: env, Score: float64(30 - 10*i), Reasons: []api.Reason{
			{Kind: api.ReasonBelowReplicas, Text: d.service(i) + " runs 1 of 3", Score: 10, Object: api.ObjectRef{Kind: "service", Name: d.service(i), Stack: fmt.Sprintf("shop%d", i)}},
			{Kind: api.ReasonTaskFailing, Text: "2 tasks failing in shop" + fmt.Sprint(i), Score: 5, Object: api.ObjectRef{Kind: "stack", Name: fmt.Sprintf("shop%d", i)}},
		}})
	}
	for i := range 5 {
		reason := api.Reason{Kind: api.ReasonCPUPressure, Text: "CPU pressure 40%", Score: 4, Object: api.ObjectRef{Kind: "node", Name: d.hostname(i), ID: d.nodeID(i)}}
		if down[i] {
			reason = api.Reason{Kind: api.ReasonNodeDown, Text: d.hostname(i) + " is down", Score: 50, Object: reason.Object}
		}
		doc.Hosts = append(doc.Hosts, api.Attention{Kind: "node", Name: d.hostname(i), ID: d.nodeID(i), Score: reason.Score, Reasons: []api.Reason{reason}})
	}
	for i := range d.nodes {
		tl := api.HostTimeline{NodeID: d.nodeID(i), Hostname: d.hostname(i), Segments: []api.HostSegment{
			{State: api.HostReady, From: now.Add(-20 * time.Hour), To: now.Add(-time.Duration(i%5+1) * time.Hour)},
			{State: api.HostDrain, From: now.Add(-time.Duration(i%5+1) * time.Hour), To: now.Add(-time.Duration(i%5) * time.Hour / 2)},
			{State: api.HostReady, From: now.Add(-time.Duration(i%5) * time.Hour / 2)},
		}}
		if down[i] {
			tl.Segments[2].To = now.Add(-10 * time.Second)
			tl.Segments = append(tl.Segments, api.HostSegment{State: api.HostDown, From: tl.Segments[2].To})
		}
		doc.Timeline = append(doc.Timeline, tl)
	}
	doc.Pinned.Services = []api.ServiceLoad{{Service: d.service(1), Stack: "shop1", Env: "dev", Desired: 3, Running: 3, CPUPercent: 12, MemoryUsage: 300 << 20, History: d.history(1, now)}}
	doc.Pinned.Hosts = []api.HostLoad{d.host(2, now, down)}
	return doc
}

func (d dataset) host(i int, now time.Time, down map[int]bool) api.HostLoad {
	state := api.HostReady
	if down[i] {
		state = api.HostDown
	}
	return api.HostLoad{NodeID: d.nodeID(i), Hostname: d.hostname(i), State: state, Envs: []string{"dev"}, LastReport: now,
		Node:       api.NodeSample{CPUs: 4, Load1: 1.5, Load5: 1.2, Load15: 1, MemoryTotal: 8 << 30, MemoryAvailable: 5 << 30, DiskTotal: 100 << 30, DiskFree: 60 << 30},
		Containers: d.tasks / d.nodes, History: d.history(i, now)}
}
