package dashboard

import (
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// View is the dashboard of what sees lets the caller see, narrowed to environment q.Env
// if set (one the caller does not see answers as one that does not exist).
func (s *Service) View(sees func(env string) bool, user string, q api.DashboardQuery) (api.Dashboard, error) {
	m := s.model()
	if q.Env != "" {
		if !m.hasEnv(q.Env) || !sees(q.Env) {
			return api.Dashboard{}, api.Errorf(api.ErrNotFound, "environment %q does not exist (see `docker exos env ls`)", q.Env)
		}
		sees = only(q.Env)
	}
	now := s.now()
	var regs []api.Registry
	if s.registries != nil {
		regs = s.registries.List()
	}
	pins := s.Pins(user)
	s.mu.RLock()
	defer s.mu.RUnlock()
	rows := s.hostRows(m, sees, now)
	d := api.Dashboard{Time: now.UTC(), Env: q.Env, Counters: counters(m, rows, sees, regs, now)}
	hosts := make(map[string]host, len(rows))
	var live []*container
	for _, row := range rows {
		hosts[row.node.ID] = host{id: row.node.ID, hostname: row.node.Hostname}
		live = append(live, visibleContainers(row, sees, now)...)
	}
	d.Environments, d.Hosts = rank(s.reasons(m, rows, now), sees, hosts, topN)
	d.TopCPU = s.loads(m, topBy(live, topContainers, cpuOf), now)
	d.TopMemory = s.loads(m, topBy(live, topContainers, memOf), now)
	d.Timeline = s.timeline.view(rows, now.Add(-api.TimelineWindow), now)
	d.Pinned = s.pinned(m, rows, live, pins, sees, now)
	return d, nil
}

// only narrows sees to one environment.
func only(env string) func(string) bool {
	return func(e string) bool { return e == env }
}

// reasons are every reason of the index and of the reports, before scoping; node
// reasons only for rows (the nodes the caller sees). Callers hold s.mu.
func (s *Service) reasons(m *model, rows []hostRow, now time.Time) []scored {
	var out []scored
	for _, row := range rows {
		sample, fresh := row.samples.fresh(now)
		out = append(out, nodeReasons(row.node, row.state, sample, fresh)...)
		if fresh {
			out = append(out, row.samples.reasons...)
		}
	}
	for _, svc := range m.services {
		out = append(out, serviceReasons(svc)...)
	}
	out = append(out, failingReasons(m.failed, now)...)
	for _, st := range m.stacks {
		out = append(out, stackReasons(st, m.drifted[st.name])...)
	}
	return out
}

// loads are containers with their history. Callers hold s.mu.
func (s *Service) loads(m *model, cs []*container, now time.Time) []api.ContainerLoad {
	out := make([]api.ContainerLoad, 0, len(cs))
	for _, c := range cs {
		out = append(out, s.load(m, c, now))
	}
	return out
}

func (s *Service) load(m *model, c *container, now time.Time) api.ContainerLoad {
	cs := c.sample
	l := api.ContainerLoad{ContainerID: cs.ContainerID, TaskID: cs.TaskID, Service: cs.Service, Stack: cs.Stack, Env: c.env,
		NodeID: c.node, CPUPercent: cs.CPUPercent, MemoryUsage: cs.MemoryUsage, MemoryLimit: cs.MemoryLimit,
		History: c.ring.series(now)}
	if n := m.nodes[c.node]; n != nil {
		l.Hostname = n.Hostname
	}
	return l
}

// pinned are the caller's pins it still sees, with their load. Callers hold s.mu.
func (s *Service) pinned(m *model, rows []hostRow, live []*container, pins api.DashboardPins, sees func(string) bool, now time.Time) api.DashboardPinned {
	out := api.DashboardPinned{Services: []api.ServiceLoad{}, Hosts: []api.HostLoad{}}
	for _, name := range pins.Services {
		svc := m.byName[name]
		if svc == nil || !sees(svc.env) {
			continue
		}
		sl := api.ServiceLoad{Service: svc.name, Stack: svc.stack, Env: svc.env, Desired: svc.desired, Running: svc.running}
		var mine []*container
		for _, c := range live {
			if c.sample.ServiceID == svc.id || c.sample.Service == svc.name {
				mine = append(mine, c)
				sl.CPUPercent += c.sample.CPUPercent
				sl.MemoryUsage += c.sample.MemoryUsage
			}
		}
		sl.History = sumOf(mine, now)
		out.Services = append(out.Services, sl)
	}
	for _, id := range pins.Hosts {
		for _, row := range rows {
			if row.node.ID == id {
				out.Hosts = append(out.Hosts, hostLoad(row, sees, now))
			}
		}
	}
	return out
}
