package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// The fake API's reads: one environment's worth of stacks, services and containers.

func (f *fakeAPI) envs() []api.Environment {
	return []api.Environment{
		{Name: "dev", NodeLabel: "io.exos.env.dev", Nodes: []string{"node1", "node2"}, Stacks: []string{"shop1"}},
		{Name: "qa", NodeLabel: "io.exos.env.qa", Nodes: []string{}, Stacks: []string{}},
	}
}

func (f *fakeAPI) hosts() []api.HostLoad {
	now, down := f.clock()
	out := []api.HostLoad{}
	for i := range f.data.nodes {
		out = append(out, f.data.host(i, now, down))
	}
	return out
}

func (f *fakeAPI) host(r *http.Request) any {
	now, down := f.clock()
	doc := f.data.dashboard(now, down)
	for i := range f.data.nodes {
		if f.data.nodeID(i) == r.PathValue("id") || f.data.hostname(i) == r.PathValue("id") {
			return api.HostDetail{HostLoad: f.data.host(i, now, down), Running: []api.ContainerLoad{f.data.load(i, now)},
				Volumes: []api.VolumeSample{{Name: "shop1_data", Driver: "local", Size: 3 << 20, Containers: 1}}, Timeline: doc.Timeline[i]}
		}
	}
	return api.ErrorBody{Error: "no such node"}
}

func (f *fakeAPI) stack(*http.Request) any {
	return api.StackDetail{Stack: api.Stack{Name: "shop1", Env: "dev", Services: 2, Revision: 3, State: api.RevisionApplied, UpdatedAt: time.Now(), Drift: []api.Drift{}},
		Configs: []string{}, Secrets: []string{}, Services: f.services()}
}

func (f *fakeAPI) services() []api.Service {
	return []api.Service{
		{ID: "s1", Name: "shop1_web", Stack: "shop1", Env: "dev", Image: "exos/busybox:1", Mode: "replicated", Desired: 2, Running: 2, Ports: []string{"8080:80/tcp (host)"}},
		{ID: "s2", Name: "shop1_db", Stack: "shop1", Env: "dev", Image: "exos/busybox:1", Mode: "replicated", Desired: 1, Running: 0, Ports: []string{}},
	}
}

func (f *fakeAPI) containers() []api.Container {
	return []api.Container{
		{ID: "t1", Name: "shop1_web.1", Service: "shop1_web", Node: "node1", NodeID: f.data.nodeID(0), Image: "exos/busybox:1", DesiredState: "running", State: "running", Current: true, Ports: []string{}},
		{ID: "t2", Name: "shop1_web.2", Service: "shop1_web", Node: "node2", NodeID: f.data.nodeID(1), Image: "exos/busybox:1", DesiredState: "running", State: "running", Current: true, Ports: []string{}},
		{ID: "t3", Name: "shop1_db.1", Service: "shop1_db", Node: "node2", NodeID: f.data.nodeID(1), Image: "exos/busybox:1", DesiredState: "running", State: "failed", Error: "task: non-zero exit (1)", Current: true, Ports: []string{}},
	}
}

func (f *fakeAPI) usage() []api.ContainerLoad {
	now, _ := f.clock()
	a, b := f.data.load(0, now), f.data.load(1, now)
	a.Service, b.Service, a.Stack, b.Stack = "shop1_web", "shop1_web", "shop1", "shop1"
	return []api.ContainerLoad{a, b}
}

func (f *fakeAPI) revisions() []api.Revision {
	out := []api.Revision{}
	for n := 3; n >= 1; n-- {
		state := api.RevisionSuperseded
		if n == 3 {
			state = api.RevisionApplied
		}
		out = append(out, api.Revision{Stack: "shop1", Number: n, CreatedAt: time.Now().Add(-time.Duration(4-n) * time.Hour), Author: "alice", Env: "dev", State: state, Images: map[string]string{}})
	}
	return out
}

func (f *fakeAPI) diff(r *http.Request) any {
	return api.StackDiff{Stack: "shop1", From: atoi(r.URL.Query().Get("from")), To: atoi(r.URL.Query().Get("to")),
		Files:    []api.FileDiff{{Name: "docker-compose.yml", Diff: "--- a\n+++ b\n@@ -1,3 +1,3 @@\n services:\n-  web: {image: exos/busybox:1}\n+  web: {image: exos/busybox:2}\n"}},
		Services: []api.ServiceDiff{{Service: "shop1_web", Change: api.SpecChanged, Fields: []api.FieldChange{{Path: "TaskTemplate.ContainerSpec.Image", From: "exos/busybox:1", To: "exos/busybox:2"}}}}}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (f *fakeAPI) getPins() api.DashboardPins {
	f.mu.Lock()
	defer f.mu.Unlock()
	return api.DashboardPins{Services: append([]string{}, f.pins.Services...), Hosts: append([]string{}, f.pins.Hosts...)}
}

func (f *fakeAPI) setPins(r *http.Request) any {
	var pins api.DashboardPins
	_ = json.NewDecoder(r.Body).Decode(&pins)
	f.mu.Lock()
	f.pins = api.DashboardPins{Services: append([]string{}, pins.Services...), Hosts: append([]string{}, pins.Hosts...)}
	f.mu.Unlock()
	return f.getPins()
}
