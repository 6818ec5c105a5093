package stacks

import (
	"sort"
	"time"

	"github.com/hashicorp/go-memdb"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// List returns every stack in an environment sees accepts (nil: every stack): those with
// services on the swarm (EXOS-deployed or not) and those with history whose services are
// gone (removed by `stack rm`, EXOS's or docker's), sorted by name, each with its state
// and drift. ws, if not nil, watches what it read.
func (s *Service) List(ws memdb.WatchSet, sees func(env string) bool) []api.Stack {
	seen := map[string]bool{}
	out := []api.Stack{}
	keep := func(st state.StackSummary) {
		seen[st.Name] = true
		if sees == nil || sees(s.envOf(st)) {
			out = append(out, s.view(st))
		}
	}
	for _, st := range s.store.Stacks(ws) {
		keep(st)
	}
	for _, name := range s.store.RevisionStacks(ws) {
		if !seen[name] {
			keep(state.StackSummary{Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// envOf is the environment of a listed stack: its services', else its latest revision's.
func (s *Service) envOf(st state.StackSummary) string {
	if st.Env != "" {
		return st.Env
	}
	if latest := s.store.LatestRevision(nil, st.Name); latest != nil {
		return latest.Env
	}
	return ""
}

// view is a stack as listed. A stack known only by its history is filled in from its
// latest revision.
func (s *Service) view(st state.StackSummary) api.Stack {
	out := api.Stack{Name: st.Name, Env: st.Env, Services: st.Services, Revision: st.Revision, UpdatedAt: st.UpdatedAt, Drift: []api.Drift{}}
	latest := s.store.LatestRevision(nil, st.Name)
	if latest == nil {
		return out
	}
	out.Revision, out.State = latest.Number, latest.State
	out.UpdatedAt = later(out.UpdatedAt, latest.CreatedAt)
	if out.Env == "" {
		out.Env = latest.Env
	}
	if t := latest.Template; t != nil {
		out.Template = &api.TemplateSource{Catalog: t.Catalog, Template: t.Template, Version: t.Version}
	}
	if st.Services == 0 {
		out.State = api.StackRemoved
		return out
	}
	out.Drift = s.Drift(st.Name)
	return out
}

// Env is the environment the stack is in ("" for none), from its services' label, else
// its latest revision; and whether the stack exists at all (services or history).
func (s *Service) Env(name string) (string, bool) {
	services := s.store.ServicesByStack(nil, name)
	for _, svc := range services {
		if svc.Env != "" {
			return svc.Env, true
		}
	}
	if latest := s.store.LatestRevision(nil, name); latest != nil {
		return latest.Env, true
	}
	return "", len(services) > 0
}

// Inspect returns one stack with its services, configs and secrets.
func (s *Service) Inspect(name string) (api.StackDetail, error) {
	var found *api.Stack
	for _, st := range s.List(nil, nil) {
		if st.Name == name {
			found = &st
		}
	}
	if found == nil {
		return api.StackDetail{}, notFound(name)
	}
	out := api.StackDetail{Stack: *found, Configs: []string{}, Secrets: []string{}}
	out.Services = s.services(nil, name)
	configs, secrets := map[string]bool{}, map[string]bool{}
	for _, svc := range s.store.ServicesByStack(nil, name) {
		cs := svc.Raw.Spec.TaskTemplate.ContainerSpec
		if cs == nil {
			continue
		}
		for _, c := range cs.Configs {
			configs[c.ConfigName] = true
		}
		for _, sec := range cs.Secrets {
			secrets[sec.SecretName] = true
		}
	}
	out.Configs, out.Secrets = sortedKeys(configs), sortedKeys(secrets)
	return out, nil
}

// Services lists the stack's services with their replica counts, watching what it read.
func (s *Service) Services(ws memdb.WatchSet, name string) ([]api.Service, error) {
	out := s.services(ws, name)
	if len(out) == 0 && s.store.LatestRevision(nil, name) == nil {
		return nil, notFound(name)
	}
	return out, nil
}

func (s *Service) services(ws memdb.WatchSet, stack string) []api.Service {
	out := []api.Service{}
	for _, svc := range s.store.ServicesByStack(ws, stack) {
		out = append(out, serviceView(svc, s.store.TasksByService(ws, svc.ID), s.current.isCurrent))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Containers joins the stack's tasks with their services and nodes, all from the index,
// watching what it read. A stack has few services and nodes but many tasks, so each is
// looked up once.
func (s *Service) Containers(ws memdb.WatchSet, stack string) ([]api.Container, error) {
	out := []api.Container{}
	services := map[string]*state.Service{}
	nodes := map[string]*state.Node{}
	for _, t := range s.store.TasksByStack(ws, stack) {
		svc, ok := services[t.ServiceID]
		if !ok {
			svc = s.store.ServiceByID(ws, t.ServiceID)
			services[t.ServiceID] = svc
		}
		if svc == nil {
			continue
		}
		node, ok := nodes[t.NodeID]
		if !ok {
			node = s.store.NodeByID(ws, t.NodeID)
			nodes[t.NodeID] = node
		}
		out = append(out, containerView(svc, t, node, s.current.isCurrent(svc, t)))
	}
	if len(out) == 0 && len(s.store.ServicesByStack(nil, stack)) == 0 && s.store.LatestRevision(nil, stack) == nil {
		return nil, notFound(stack)
	}
	sortContainers(out)
	return out, nil
}

func notFound(name string) error {
	return api.Errorf(api.ErrNotFound, "stack %q does not exist (see `docker exos stack ls`)", name)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
