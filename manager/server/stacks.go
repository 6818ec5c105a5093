package server

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/hashicorp/go-memdb"
)

func (s *Server) listStacks(r *http.Request) (any, error) {
	out := []api.Stack{}
	for _, st := range s.store.Stacks(nil) {
		out = append(out, s.stackView(st))
	}
	return out, nil
}

// stackView is a stack as listed, with the upgrade its template's catalog offers.
func (s *Server) stackView(st state.StackSummary) api.Stack {
	out := api.Stack{Name: st.Name, Env: st.Env, Services: st.Services, Revision: st.Revision, UpdatedAt: st.UpdatedAt}
	if t := st.Template; t != nil {
		out.Template = &api.TemplateSource{Catalog: t.Catalog, Template: t.Template, Version: t.Version}
		out.UpgradeTo = s.templates.UpgradeTo(t.Catalog, t.Template, t.Version)
	}
	return out
}

func (s *Server) inspectStack(r *http.Request) (any, error) {
	name := r.PathValue("name")
	var summary *state.StackSummary
	for _, st := range s.store.Stacks(nil) {
		if st.Name == name {
			summary = &st
		}
	}
	if summary == nil {
		return nil, stackNotFound(name)
	}
	out := api.StackDetail{Stack: s.stackView(*summary), Configs: []string{}, Secrets: []string{}}
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

func (s *Server) services(ws memdb.WatchSet, stack string) []api.Service {
	out := []api.Service{}
	for _, svc := range s.store.ServicesByStack(ws, stack) {
		out = append(out, serviceView(svc, s.store.TasksByService(ws, svc.ID), s.current.isCurrent))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) stackServices(r *http.Request) (any, error) {
	name := r.PathValue("name")
	var out []api.Service
	index, err := s.blocking(r, func(ws memdb.WatchSet) error {
		out = s.services(ws, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && s.store.LatestRevision(nil, name) == nil {
		return nil, stackNotFound(name)
	}
	return indexed{index: index, value: out}, nil
}

func (s *Server) stackContainers(r *http.Request) (any, error) {
	name := r.PathValue("name")
	var out []api.Container
	index, err := s.blocking(r, func(ws memdb.WatchSet) error {
		out = s.containers(ws, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && len(s.store.ServicesByStack(nil, name)) == 0 && s.store.LatestRevision(nil, name) == nil {
		return nil, stackNotFound(name)
	}
	return indexed{index: index, value: out}, nil
}

// containers joins a stack's tasks with their services and nodes, all from the index. A
// stack has few services and nodes but many tasks, so each is looked up once.
func (s *Server) containers(ws memdb.WatchSet, stack string) []api.Container {
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
	sortContainers(out)
	return out
}

func (s *Server) blocking(r *http.Request, fn state.QueryFn) (uint64, error) {
	index, wait, err := queryWait(r)
	if err != nil {
		return 0, err
	}
	return s.store.BlockingQuery(r.Context(), index, wait, fn)
}

func (s *Server) deployStack(r *http.Request) (any, error) {
	var req api.DeployRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if len(req.ComposeFiles) == 0 {
		return nil, api.Errorf(api.ErrInvalid, "a deploy needs at least one compose file")
	}
	author, addr := caller(r)
	res, err := s.stacks.Deploy(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) rollbackStack(r *http.Request) (any, error) {
	var req api.RollbackRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.To < 1 {
		return nil, api.Errorf(api.ErrInvalid, "rollback needs the revision to go back to (to >= 1)")
	}
	author, addr := caller(r)
	res, err := s.stacks.Rollback(r.Context(), r.PathValue("name"), req.To, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) removeStack(r *http.Request) (any, error) {
	return nil, s.stacks.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) stackHistory(r *http.Request) (any, error) {
	return s.stacks.History(r.PathValue("name"))
}

func (s *Server) stackRevision(r *http.Request) (any, error) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		return nil, api.Errorf(api.ErrInvalid, "revision must be a number, got %q", r.PathValue("number"))
	}
	return s.stacks.Revision(r.PathValue("name"), n)
}

func (s *Server) getInfo(r *http.Request) (any, error) {
	return s.info(), nil
}

func stackNotFound(name string) error {
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

func (s *Server) deployTemplate(r *http.Request) (any, error) {
	var req api.TemplateDeployRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, addr := caller(r)
	res, err := s.templates.Deploy(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) upgradeStack(r *http.Request) (any, error) {
	var req api.StackUpgradeRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, addr := caller(r)
	res, err := s.templates.Upgrade(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}
