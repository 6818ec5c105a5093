package stacks

import (
	"context"
	"sort"
	"sync"

	dockerswarm "github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// Drift tells how the stack's services on the swarm differ from its current revision:
// services removed or updated natively, rolled back by Swarm, or not in the revision.
// EXOS reports these and never reverts them. A stack deployed natively, removed, or with
// a deploy under way has no drift to tell.
func (s *Service) Drift(name string) []api.Drift {
	revs := s.store.RevisionsByStack(nil, name)
	cur := currentRevision(revs)
	services := s.store.ServicesByStack(nil, name)
	if cur == nil || len(services) == 0 || revs[0].State == api.RevisionPending {
		return []api.Drift{}
	}
	want, ok := s.desired(cur)
	if !ok {
		return []api.Drift{}
	}
	out := []api.Drift{}
	seen := map[string]bool{}
	for _, svc := range services {
		seen[svc.Name] = true
		spec, inRevision := want[svc.Name]
		if !inRevision {
			out = append(out, api.Drift{Service: svc.Name, Kind: api.DriftNotInRevision})
			continue
		}
		if d, drifted := s.drift.service(svc, cur, spec); drifted {
			out = append(out, d)
		}
	}
	for name := range want {
		if !seen[name] {
			out = append(out, api.Drift{Service: name, Kind: api.DriftRemoved})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out
}

// desired returns the service specs of a revision, converted once and kept.
func (s *Service) desired(r *state.Revision) (map[string]dockerswarm.ServiceSpec, bool) {
	if want, ok := s.drift.specs(r); ok {
		return want, true
	}
	rev, err := s.Revision(r.Stack, r.Number)
	if err == nil {
		var stack, convErr = s.convert(context.Background(), rev, rev.Attachments, nil, false)
		if err = convErr; err == nil {
			want := swarm.DesiredServices(stack)
			s.drift.keepSpecs(r, want)
			return want, true
		}
	}
	s.log.Warn("cannot tell the drift of a stack: its revision no longer converts", "stack", r.Stack, "revision", r.Number, "err", err)
	return nil, false
}

// driftCache keeps converted revisions and each service's drift: converting and
// comparing are the costly parts of `stack ls`, and their answers change only with a new
// revision or a new version of the service.
type driftCache struct {
	mu       sync.Mutex
	revs     map[revisionKey]map[string]dockerswarm.ServiceSpec
	services map[serviceKey]api.Drift
}

type revisionKey struct {
	stack  string
	number int
}

type serviceKey struct {
	id       string
	version  uint64
	revision revisionKey
}

// maxDriftEntries bounds each map; a full map is emptied, which costs only recomputing.
const maxDriftEntries = 10_000

func newDriftCache() *driftCache {
	return &driftCache{revs: map[revisionKey]map[string]dockerswarm.ServiceSpec{}, services: map[serviceKey]api.Drift{}}
}

func (c *driftCache) specs(r *state.Revision) (map[string]dockerswarm.ServiceSpec, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	want, ok := c.revs[revisionKey{r.Stack, r.Number}]
	return want, ok
}

func (c *driftCache) keepSpecs(r *state.Revision, want map[string]dockerswarm.ServiceSpec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.revs) >= maxDriftEntries {
		c.revs = map[revisionKey]map[string]dockerswarm.ServiceSpec{}
	}
	c.revs[revisionKey{r.Stack, r.Number}] = want
}

// service returns the drift of one service from its spec in revision cur, if any.
func (c *driftCache) service(svc *state.Service, cur *state.Revision, want dockerswarm.ServiceSpec) (api.Drift, bool) {
	key := serviceKey{id: svc.ID, version: svc.Raw.Version.Index, revision: revisionKey{cur.Stack, cur.Number}}
	c.mu.Lock()
	d, ok := c.services[key]
	c.mu.Unlock()
	if !ok {
		d = serviceDrift(svc, cur, want)
		c.mu.Lock()
		if len(c.services) >= maxDriftEntries {
			c.services = map[serviceKey]api.Drift{}
		}
		c.services[key] = d
		c.mu.Unlock()
	}
	return d, d.Kind != ""
}

func serviceDrift(svc *state.Service, cur *state.Revision, want dockerswarm.ServiceSpec) api.Drift {
	fields := swarm.Drift(svc.Raw, want)
	if len(fields) == 0 {
		return api.Drift{}
	}
	d := api.Drift{Service: svc.Name, Kind: api.DriftUpdated, Fields: fields}
	if u := svc.Raw.UpdateStatus; u != nil && rolledBack(u.State) && svc.Revision < cur.Number {
		d.Kind, d.Message = api.DriftRolledBack, u.Message
	}
	return d
}
