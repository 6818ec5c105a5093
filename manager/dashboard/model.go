package dashboard

import (
	"time"

	"github.com/exos-platform/exos/manager/state"
	"github.com/hashicorp/go-memdb"
)

// model is what the dashboard derives from the index, built once per change of the index
// so that a request walks services and nodes, never the tasks.
type model struct {
	index    uint64
	envs     []string // every environment, sorted
	nodes    map[string]*state.Node
	nodeList []*state.Node // in ID order
	stacks   []stackInfo
	stackEnv map[string]string
	services []*serviceInfo // in ID order
	byName   map[string]*serviceInfo
	byID     map[string]*serviceInfo
	// failed are the failed or rejected tasks, newest first: whether they count depends
	// on the clock, not on the index.
	failed []failedTask
	// drifted is how many services of each stack drift; the background rebuild (Run)
	// computes it, a rebuild on the request path keeps the last one.
	drifted map[string]int
}

type stackInfo struct {
	name, env string
	latest    *state.Revision
}

type serviceInfo struct {
	id, name, stack, env string
	desired, running     int
}

type failedTask struct {
	service *serviceInfo
	node    string
	at      time.Time
}

// model returns the model of the current index, building it if the index moved.
func (s *Service) model() *model {
	if m := s.current.Load(); m != nil && m.index == s.index.Index() {
		return m
	}
	s.rebuildMu.Lock()
	defer s.rebuildMu.Unlock()
	if m := s.current.Load(); m != nil && m.index == s.index.Index() {
		return m
	}
	return s.rebuild(nil, false)
}

// rebuild builds the model, watching what it read in ws, and publishes it; withDrift
// asks the stacks for their drift (slow: Run does it, off the request path). Callers
// hold rebuildMu.
func (s *Service) rebuild(ws memdb.WatchSet, withDrift bool) *model {
	m := buildModel(s.index, ws)
	if prev := s.current.Load(); prev != nil {
		m.drifted = prev.drifted
	}
	if withDrift && s.drifts != nil {
		m.drifted = map[string]int{}
		for _, st := range m.stacks {
			if n := len(s.drifts.Drift(st.name)); n > 0 {
				m.drifted[st.name] = n
			}
		}
	}
	s.current.Store(m)
	return m
}

func buildModel(index *state.Store, ws memdb.WatchSet) *model {
	m := &model{index: index.Index(), nodes: map[string]*state.Node{}, stackEnv: map[string]string{},
		byName: map[string]*serviceInfo{}, byID: map[string]*serviceInfo{}}
	for _, e := range index.Environments(ws) {
		m.envs = append(m.envs, e.Name)
	}
	m.nodeList = index.Nodes(ws)
	for _, n := range m.nodeList {
		m.nodes[n.ID] = n
	}
	for _, st := range index.Stacks(ws) {
		m.stacks = append(m.stacks, stackInfo{name: st.Name, env: st.Env, latest: index.LatestRevision(nil, st.Name)})
		m.stackEnv[st.Name] = st.Env
	}
	for _, svc := range index.Services(ws) {
		info := &serviceInfo{id: svc.ID, name: svc.Name, stack: svc.Stack, env: m.stackEnv[svc.Stack], desired: replicas(svc)}
		m.services = append(m.services, info)
		m.byName[svc.Name], m.byID[svc.ID] = info, info
	}
	m.addTasks(index.Tasks(ws))
	return m
}

// replicas is a replicated service's desired count, -1 for a global one (whose desired
// count is its tasks meant to run).
func replicas(svc *state.Service) int {
	if r := svc.Raw.Spec.Mode.Replicated; r != nil && r.Replicas != nil {
		return int(*r.Replicas)
	}
	return -1
}

func (m *model) addTasks(tasks []*state.Task) {
	global := map[*serviceInfo]int{}
	for _, t := range tasks {
		info := m.byID[t.ServiceID]
		if info == nil {
			continue
		}
		switch {
		case t.State == "running" && t.DesiredState == "running":
			info.running++
		case t.State == "failed" || t.State == "rejected":
			m.failed = append(m.failed, failedTask{service: info, node: t.NodeID, at: t.Raw.Status.Timestamp})
		}
		if info.desired < 0 && t.DesiredState == "running" {
			global[info]++
		}
	}
	for _, info := range m.services {
		if info.desired < 0 {
			info.desired = global[info]
		}
	}
	sortFailed(m.failed)
}

// envOfStack is the environment of a stack, "" for none or an unknown stack.
func (m *model) envOfStack(stack string) string { return m.stackEnv[stack] }

// hasEnv reports whether env is an environment.
func (m *model) hasEnv(env string) bool {
	for _, e := range m.envs {
		if e == env {
			return true
		}
	}
	return false
}

// nodeVisible: a node is seen by whoever sees one of its environments; a node in none
// is the global admin's, as every object outside the environments is.
func nodeVisible(n *state.Node, sees func(string) bool) bool {
	if len(n.Envs) == 0 {
		return sees("")
	}
	for _, env := range n.Envs {
		if sees(env) {
			return true
		}
	}
	return false
}

// nodeEnvs are the environments a node's own reasons count toward.
func nodeEnvs(n *state.Node) []string {
	if len(n.Envs) == 0 {
		return []string{""}
	}
	return n.Envs
}
