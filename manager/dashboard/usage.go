package dashboard

import (
	"cmp"
	"slices"

	"github.com/exos-platform/exos/manager/api"
)

// Hosts are the nodes the caller sees, with their state and load, in ID order.
func (s *Service) Hosts(sees func(env string) bool) []api.HostLoad {
	m, now := s.model(), s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	rows := s.hostRows(m, sees, now)
	out := make([]api.HostLoad, 0, len(rows))
	for _, row := range rows {
		out = append(out, hostLoad(row, sees, now))
	}
	return out
}

// Host is node id (an ID or a hostname) if the caller sees it: its load, the containers
// it runs that the caller sees, its volumes and its timeline.
func (s *Service) Host(sees func(env string) bool, id string) (api.HostDetail, error) {
	m, now := s.model(), s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, row := range s.hostRows(m, sees, now) {
		if row.node.ID != id && row.node.Hostname != id {
			continue
		}
		d := api.HostDetail{HostLoad: hostLoad(row, sees, now), Running: []api.ContainerLoad{}, Volumes: []api.VolumeSample{}}
		d.Running = s.loads(m, sortByID(visibleContainers(row, sees, now)), now)
		if row.samples != nil {
			for _, v := range row.samples.volumes {
				if sees(m.envOfVolume(v)) {
					d.Volumes = append(d.Volumes, v)
				}
			}
		}
		d.Timeline = s.timeline.view([]hostRow{row}, now.Add(-api.TimelineWindow), now)[0]
		return d, nil
	}
	return api.HostDetail{}, api.Errorf(api.ErrNotFound, "node %q does not exist (see `docker node ls`)", id)
}

// Usage are the containers of a stack, a service (Swarm name) or a node the caller
// sees, with their history; containers gone within the last HistoryWindow included. A
// stack, service or node the caller does not see answers as one that does not exist.
func (s *Service) Usage(sees func(env string) bool, q api.UsageQuery) ([]api.ContainerLoad, error) {
	m, now := s.model(), s.now()
	match, err := s.usageFilter(m, sees, q)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var cs []*container
	for _, c := range s.samples.containers {
		// As on the overview: a container the caller sees on a node it sees.
		if n := m.nodes[c.node]; n != nil && sees(c.env) && nodeVisible(n, sees) && match(c) {
			cs = append(cs, c)
		}
	}
	return s.loads(m, sortByID(cs), now), nil
}

func (s *Service) usageFilter(m *model, sees func(string) bool, q api.UsageQuery) (func(*container) bool, error) {
	switch {
	case q.Service != "":
		svc := m.byName[q.Service]
		if svc == nil || !sees(svc.env) {
			return nil, api.Errorf(api.ErrNotFound, "service %q does not exist", q.Service)
		}
		return func(c *container) bool { return c.sample.ServiceID == svc.id || c.sample.Service == svc.name }, nil
	case q.Stack != "":
		env, ok := m.stackEnv[q.Stack]
		if !ok || !sees(env) {
			return nil, api.Errorf(api.ErrNotFound, "stack %q does not exist (see `docker exos stack ls`)", q.Stack)
		}
		return func(c *container) bool { return c.sample.Stack == q.Stack }, nil
	case q.Node != "":
		for _, n := range m.nodeList {
			if (n.ID == q.Node || n.Hostname == q.Node) && nodeVisible(n, sees) {
				return func(c *container) bool { return c.node == n.ID }, nil
			}
		}
		return nil, api.Errorf(api.ErrNotFound, "node %q does not exist (see `docker node ls`)", q.Node)
	}
	return nil, api.Errorf(api.ErrInvalid, "name a stack, a service or a node: ?stack=, ?service= or ?node=")
}

func sortByID(cs []*container) []*container {
	slices.SortFunc(cs, func(a, b *container) int { return cmp.Compare(a.sample.ContainerID, b.sample.ContainerID) })
	return cs
}
